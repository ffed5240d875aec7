#include "storage/poll_writer.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "storage/embedded_sql.hpp"
#include "storage/sql_values.hpp"
#include "storage/temp_file.hpp"

namespace {

// While the merged polls are written, SQLite skips CHECK constraints: the
// only one on polls is `active IN (0, 1)`, which the binding guarantees (a
// bool as 0 or 1), and evaluating it was about 7% of the writing.
class ChecksSkipped {
 public:
  explicit ChecksSkipped(SQLite::Database& db) : db_(db) {
    db_.exec("PRAGMA ignore_check_constraints=ON");
  }
  ~ChecksSkipped() {
    try {
      db_.exec("PRAGMA ignore_check_constraints=OFF");
    } catch (...) {  // (a connection that fails this is failing everything)
    }
  }
  ChecksSkipped(const ChecksSkipped&) = delete;
  ChecksSkipped& operator=(const ChecksSkipped&) = delete;

 private:
  SQLite::Database& db_;
};

}  // namespace

PollWriter::PollWriter(SQLite::Database& db, Sizes sizes)
    : db_(db),
      insert_store_(db, sql::query("insert_store")),
      insert_(db, sql::query("insert_poll")),
      insert_new_(db, insert_polls_sql(false)),
      insert_many_(db, insert_polls_sql(true)),
      existing_(db, sql::query("poll_status")),
      note_store_(db, sql::query("note_store_polls")),
      batch_polls_(sizes.batch_polls),
      runs_(folder_of(db.getFilename()), sizes.memory_polls) {
  noted_ = offered_.end();
  writer_ = std::thread([this] { run_writer(); });  // last: needs all of the above
}

PollWriter::~PollWriter() {
  stop_writer();
}

void PollWriter::add(StoreKeys& stores, const std::string& store_id, Instant at, bool active) {
  const std::int64_t store = stores.key_of(store_id);
  if (store > std::numeric_limits<std::uint32_t>::max()) {
    throw std::runtime_error("store key " + std::to_string(store) + " is past 2^32 (PendingPoll)");
  }
  const auto order = static_cast<std::uint32_t>(filling_.polls.size());
  filling_.polls.emplace_back(store, to_micros(at), order, active);
  if (filling_.polls.size() >= batch_polls_) {
    filling_.stores = stores.take_pending();
    hand_over(Batch::Kind::run);
  }
}

// The caller merges the runs and sorts the polls out while the writer
// inserts the ones before: the two halves of the writing run side by side.
PollWriter::Counts PollWriter::finish(StoreKeys& stores) {
  filling_.stores = stores.take_pending();
  sort_run(filling_.polls);  // (the writer may still be sorting the run before)
  filling_.sorted = true;
  hand_over(Batch::Kind::run);
  wait_for_writer();  // runs_ and the connection are ours while the writer waits
  {
    const ChecksSkipped skipped(db_);
    runs_.merge([this, &stores](const PendingPoll& poll) { place(poll, stores); });
    newest_of_.reset();  // a statement on the store keys' connection
    hand_over_rows(new_, Batch::Kind::new_rows);
    hand_over_rows(old_, Batch::Kind::maybe_known_rows);
    wait_for_writer();
  }
  stop_writer();
  if (failure_) std::rethrow_exception(failure_);
  for (const auto& [store, offered] : offered_) {
    note_store_.bind(1, store);
    note_store_.bind(2, offered.oldest);
    note_store_.bind(3, offered.newest);
    note_store_.exec();
    note_store_.reset();
  }
  counts_.duplicates += repeats_.duplicates;
  counts_.conflicts += repeats_.conflicts;
  return counts_;
}

// Waits until the writer has done with its batch; rethrows its failure.
void PollWriter::wait_for_writer() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !has_batch_ || failure_; });
  if (failure_) std::rethrow_exception(failure_);
}

// Passes `filling_` to the writer as `kind`, once it has done with the one before.
void PollWriter::hand_over(Batch::Kind kind) {
  filling_.kind = kind;
  wait_for_writer();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::swap(writing_, filling_);
    has_batch_ = true;
  }
  changed_.notify_all();
  filling_.polls.clear();
  filling_.stores.clear();
  filling_.sorted = false;
}

// Passes `rows` (polls to write, in key order) to the writer, leaving it empty.
void PollWriter::hand_over_rows(std::vector<PendingPoll>& rows, Batch::Kind kind) {
  if (rows.empty()) return;
  std::swap(filling_.polls, rows);
  hand_over(kind);
}

void PollWriter::stop_writer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void PollWriter::run_writer() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return has_batch_ || stopping_; });
    if (!has_batch_) return;
    lock.unlock();
    try {
      write(writing_);
    } catch (...) {
      lock.lock();
      failure_ = std::current_exception();
      has_batch_ = false;
      changed_.notify_all();
      return;
    }
    lock.lock();
    has_batch_ = false;
    changed_.notify_all();
  }
}

void PollWriter::count_duplicate(Counts& counts, bool kept_active, bool new_active) {
  if (kept_active == new_active) {
    ++counts.duplicates;
  } else {
    ++counts.conflicts;
  }
}

// insert_new_polls with its row repeated kRowsPerInsert times; with
// `skip_known`, known polls are skipped rather than failing the statement.
std::string PollWriter::insert_polls_sql(bool skip_known) {
  std::string text = sql::repeated_rows("insert_new_polls", "new_poll_values", kRowsPerInsert);
  if (skip_known) text += std::string(" ") + sql::query("skip_known_polls");
  return text;
}

// Writes `rows`, kRowsPerInsert per statement while there are that many,
// then one by one. `maybe_known`: some may be in the database already
// (older than their store's newest poll).
void PollWriter::write_rows(const std::vector<PendingPoll>& rows, bool maybe_known) {
  SQLite::Statement& many = maybe_known ? insert_many_ : insert_new_;
  std::size_t done = 0;
  for (; rows.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
    int index = 1;
    for (std::size_t i = done; i < done + kRowsPerInsert; ++i) {
      many.bind(index++, rows[i].store);
      many.bind(index++, rows[i].at_us);
      many.bind(index++, rows[i].active ? 1 : 0);
    }
    const auto inserted = static_cast<std::size_t>(many.exec());
    many.reset();
    settle_known(&rows[done], kRowsPerInsert, inserted);
  }
  for (; done < rows.size(); ++done) {
    insert_.bind(1, rows[done].store);
    insert_.bind(2, rows[done].at_us);
    insert_.bind(3, rows[done].active ? 1 : 0);
    const auto inserted = static_cast<std::size_t>(insert_.exec());
    insert_.reset();
    settle_known(&rows[done], 1, inserted);
  }
}

// `count` polls (distinct, none repeated in this import) were offered and
// `inserted` of them written; the others were known and stay as they were.
// Which ones were known does not matter: those whose kept status differs are
// the conflicts, and the rest of the skipped ones duplicates.
void PollWriter::settle_known(const PendingPoll* polls, std::size_t count, std::size_t inserted) {
  counts_.loaded += inserted;
  for (std::size_t i = 0; i < count; ++i) note_offered(polls[i]);
  if (inserted == count) return;
  std::size_t conflicts = 0;
  for (std::size_t i = 0; i < count; ++i) {
    existing_.bind(1, polls[i].store);
    existing_.bind(2, polls[i].at_us);
    existing_.executeStep();
    if ((existing_.getColumn(0).getInt() != 0) != polls[i].active) ++conflicts;
    existing_.reset();
  }
  counts_.conflicts += conflicts;
  counts_.duplicates += count - inserted - conflicts;
}

// The store's oldest and newest polls offered, for the stores table.
void PollWriter::note_offered(const PendingPoll& poll) {
  if (noted_ == offered_.end() || noted_->first != poll.store) {
    bool added = false;
    std::tie(noted_, added) = offered_.emplace(poll.store, Offered{poll.at_us, poll.at_us});
    if (added) return;
  }
  noted_->second.oldest = std::min(noted_->second.oldest, poll.at_us);
  noted_->second.newest = std::max(noted_->second.newest, poll.at_us);
}

// On the writer thread: a run to sort and keep, or rows to write.
void PollWriter::write(Batch& batch) {
  switch (batch.kind) {
    case Batch::Kind::run:
      insert_stores(insert_store_, batch.stores);
      if (!batch.sorted) sort_run(batch.polls);
      runs_.add(std::move(batch.polls));
      batch.polls = std::vector<PendingPoll>();
      batch.polls.reserve(batch_polls_);  // (here, not on the caller's time)
      break;
    case Batch::Kind::new_rows:
      write_rows(batch.polls, false);
      break;
    case Batch::Kind::maybe_known_rows:
      write_rows(batch.polls, true);
      break;
  }
}

std::optional<std::int64_t> PollWriter::newest_before(StoreKeys& stores, std::int64_t store) {
  if (store == newest_store_) return newest_us_;
  if (!newest_of_) newest_of_.emplace(stores.lookups(), sql::query("store_latest_poll"));
  newest_of_->bind(1, store);
  newest_us_ = newest_of_->executeStep() ? optional_int(newest_of_->getColumn(0)) : std::nullopt;
  newest_of_->reset();
  newest_store_ = store;
  return newest_us_;
}

// On the caller's thread, in key order: a repeat of the poll before is
// counted; a poll newer than its store's newest before this import is new,
// any other may be known. Rows go to the writer kChunkRows at a time.
void PollWriter::place(const PendingPoll& poll, StoreKeys& stores) {
  if (previous_ && previous_->store == poll.store && previous_->at_us == poll.at_us) {
    count_duplicate(repeats_, previous_->active, poll.active);
    return;
  }
  previous_ = poll;
  const std::optional<std::int64_t> known = newest_before(stores, poll.store);
  const bool is_new = !known || poll.at_us > *known;
  std::vector<PendingPoll>& rows = is_new ? new_ : old_;
  rows.push_back(poll);
  if (rows.size() == kChunkRows) {
    hand_over_rows(rows, is_new ? Batch::Kind::new_rows : Batch::Kind::maybe_known_rows);
  }
}
