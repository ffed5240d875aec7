// Writing the polls of one import: batches sorted by (store, instant), a
// writer thread that inserts one batch while the caller parses the next, and
// the duplicate/conflict counts of SPEC §1.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store_keys.hpp"
#include "timestamps.hpp"

// B-tree inserts in key order are several times faster than in file order,
// and memory stays bounded whatever the file's size.
//
// A poll newer than every poll its store has cannot be a duplicate: such
// polls (nearly all, as data arrives in time order) go in many rows per
// plain INSERT. Older ones (a file in random order, a re-import) go in many
// rows per INSERT that skips known ones; only a statement that skipped some
// has its polls looked up one by one, to tell duplicates from conflicts.
// Among polls with the same identity the first one kept wins.
class PollWriter {
 public:
  // What happened to the polls added, as SPEC §1 counts them.
  struct Counts {
    std::size_t loaded = 0;      // new polls written
    std::size_t duplicates = 0;  // already known with the same status
    std::size_t conflicts = 0;   // already known with another status (the first kept wins)
  };

  explicit PollWriter(SQLite::Database& db);
  ~PollWriter();

  PollWriter(const PollWriter&) = delete;
  PollWriter& operator=(const PollWriter&) = delete;

  void add(StoreKeys& stores, const std::string& store_id, Instant at, bool active);

  // Writes what is left and the stores' latest polls; rethrows a writer
  // failure. Returns the counts of every poll added.
  Counts finish(StoreKeys& stores);

 private:
  // Polls sorted and written at once: 24 bytes each, two batches alive (one
  // filling, one writing), so 2^20 polls keep 50 MB. Larger batches put more
  // of a store's polls side by side when the file is in random order.
  static constexpr std::size_t kBatchRows = 1 << 20;
  static constexpr std::size_t kRowsPerInsert = 100;

  struct PendingPoll {
    std::int64_t store;
    std::int64_t at_us;
    std::uint32_t order;  // position in the batch: the first of equal polls wins
    bool active;
  };
  struct Batch {
    std::vector<StoreKeys::NewStore> stores;
    std::vector<PendingPoll> polls;
  };

  void hand_over(StoreKeys& stores);
  void stop_writer();
  void run_writer();
  void write(Batch& batch);
  void write_rows(std::vector<PendingPoll>& rows, bool maybe_known, bool all);
  void settle_known(const PendingPoll* polls, std::size_t count, std::size_t inserted);
  void note_newest(const PendingPoll& poll);
  void count_duplicate(bool kept_active, bool new_active);
  static std::string insert_polls_sql(bool skip_known);

  Counts counts_;  // the writer thread's until finish()
  SQLite::Statement insert_store_;
  SQLite::Statement insert_;       // one poll that may be known
  SQLite::Statement insert_new_;   // kRowsPerInsert new polls
  SQLite::Statement insert_many_;  // kRowsPerInsert polls that may be known
  SQLite::Statement existing_;
  SQLite::Statement raise_latest_;
  // Store -> its newest poll, in the database or loaded by this import (µs).
  std::unordered_map<std::int64_t, std::int64_t> newest_;
  std::unordered_set<std::int64_t> loaded_stores_;
  std::vector<PendingPoll> new_;  // polls known to be new, not yet written
  std::vector<PendingPoll> old_;  // polls that may be known, not yet written

  Batch filling_;  // the caller's
  Batch writing_;  // the writer's while has_batch_
  std::mutex mutex_;
  std::condition_variable changed_;
  bool has_batch_ = false;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::thread writer_;
};
