// Writing the polls of one import: batches sorted by (store, instant) on a
// writer thread while the caller parses the next, merged in key order at the
// end by the caller while the writer inserts, and the duplicate/conflict
// counts of rules §1.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/timestamps.hpp"
#include "storage/sorted_runs.hpp"
#include "storage/store_keys.hpp"

// B-tree inserts in key order are several times faster than in file order:
// every batch is sorted into a run (sorted_runs.hpp, held in memory up to a
// bound, then in a file), and the runs are merged and written in one pass at
// the end, so rows reach the table in key order and memory stays bounded
// whatever the file's size.
//
// A poll newer than every poll its store has cannot be a duplicate: such
// polls (nearly all, as data arrives in time order) go in many rows per
// plain INSERT. Older ones (a file in random order, a re-import) go in many
// rows per INSERT that skips known ones; only a statement that skipped some
// has its polls looked up one by one, to tell duplicates from conflicts.
// Among polls with the same identity the first one kept wins.
class PollWriter {
 public:
  // What happened to the polls added, as rules §1 counts them.
  struct Counts {
    std::size_t loaded = 0;      // new polls written
    std::size_t duplicates = 0;  // already known with the same status
    std::size_t conflicts = 0;   // already known with another status (the first kept wins)
  };

  // How the polls are held: per batch, and in memory in all (past that, the
  // runs go to a file). Smaller in tests.
  struct Sizes {
    std::size_t batch_polls;
    std::size_t memory_polls;
  };
  // Polls sorted at once: 16 bytes each, two batches alive (one filling, one
  // sorting), so 2^20 polls keep 32 MB. The last full batch is sorted while
  // the rest is parsed (its sort holds up the writing by 0.1 s); 156 million
  // polls make 150 runs, merged through a heap (with 2^18, 597 runs, each
  // with a read buffer of 128 KiB: that import took 7 s longer).
  // Runs in memory: up to 3 × 2^20 polls (48 MB; a 14,000-store week is 2.2
  // million), so a file costs no write and read of each poll. Past that all
  // go to the file; what was held counts in a large import's peak RSS (22
  // million polls: 286 MB holding up to 4 × 2^20, 246 MB holding 3 × 2^20).
  static constexpr Sizes kSizes{1 << 20, 3 << 20};

  explicit PollWriter(SQLite::Database& db, Sizes sizes = kSizes);
  ~PollWriter();

  PollWriter(const PollWriter&) = delete;
  PollWriter& operator=(const PollWriter&) = delete;

  void add(StoreKeys& stores, const std::string& store_id, Instant at, bool active);

  // Writes what is left and the stores' latest polls; rethrows a writer
  // failure. Returns the counts of every poll added.
  Counts finish(StoreKeys& stores);

 private:
  static constexpr std::size_t kRowsPerInsert = 100;
  // Merged polls go to the writer this many at a time.
  static constexpr std::size_t kChunkRows = 64 * kRowsPerInsert;

  // What the caller hands the writer: a run to sort and keep (while the
  // input is read), or merged polls to write (at the end).
  struct Batch {
    enum class Kind { run, new_rows, maybe_known_rows };
    Kind kind = Kind::run;
    std::vector<StoreKeys::NewStore> stores;  // (runs) stores to insert first
    std::vector<PendingPoll> polls;
    bool sorted = false;
  };

  void wait_for_writer();
  void hand_over(Batch::Kind kind);
  void hand_over_rows(std::vector<PendingPoll>& rows, Batch::Kind kind);
  void stop_writer();
  void run_writer();
  void write(Batch& batch);
  void place(const PendingPoll& poll, StoreKeys& stores);
  void write_rows(const std::vector<PendingPoll>& rows, bool maybe_known);
  void settle_known(const PendingPoll* polls, std::size_t count, std::size_t inserted);
  void note_offered(const PendingPoll& poll);
  static void count_duplicate(Counts& counts, bool kept_active, bool new_active);
  static std::string insert_polls_sql(bool skip_known);

  Counts counts_;   // the writer thread's until finish()
  Counts repeats_;  // the caller's: polls given twice in this import
  SQLite::Database& db_;
  SQLite::Statement insert_store_;
  SQLite::Statement insert_;       // one poll that may be known
  SQLite::Statement insert_new_;   // kRowsPerInsert new polls
  SQLite::Statement insert_many_;  // kRowsPerInsert polls that may be known
  SQLite::Statement existing_;
  SQLite::Statement note_store_;
  // The oldest and newest of a store's polls offered, UTC µs.
  struct Offered {
    std::int64_t oldest;
    std::int64_t newest;
  };
  // The store's newest poll (µs) in the database before the import, looked
  // up as polls come in key order (an index seek a store: reading every
  // store's took seconds for each small ingest at a million stores).
  // Read through the store keys' connection (StoreKeys::lookups), which sees
  // the data as it was before the import: the import's own is the writer's.
  std::optional<std::int64_t> newest_before(StoreKeys& stores, std::int64_t store);
  // (the caller's) on the StoreKeys' connection, so the StoreKeys given to
  // finish() outlives this writer; let go when finish() has merged.
  std::optional<SQLite::Statement> newest_of_;
  std::int64_t newest_store_ = -1;  // the store looked up last, and its newest
  std::optional<std::int64_t> newest_us_;
  // Store -> the polls this import offered (the writer's): stores.latest_poll_us
  // and first_poll_us move out to them at the end, and the store's rollups are
  // out of date from the poll before the oldest.
  std::unordered_map<std::int64_t, Offered> offered_;
  // The entry of offered_ noted last: polls come in key order, a store's together.
  std::unordered_map<std::int64_t, Offered>::iterator noted_;
  std::vector<PendingPoll> new_;         // (the caller's) polls known to be new, not yet written
  std::vector<PendingPoll> old_;         // (the caller's) polls that may be known, not yet written
  std::optional<PendingPoll> previous_;  // (the caller's) the poll placed last, for repeats
  std::size_t batch_polls_;
  SortedRuns runs_;

  Batch filling_;  // the caller's
  Batch writing_;  // the writer's while has_batch_
  std::mutex mutex_;
  std::condition_variable changed_;
  bool has_batch_ = false;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::thread writer_;
};
