#include "poll_writer.hpp"

#include <algorithm>

#include "embedded_sql.hpp"

PollWriter::PollWriter(SQLite::Database& db)
    : insert_store_(db, sql::query("insert_store")),
      insert_(db, sql::query("insert_poll")),
      insert_new_(db, insert_new_polls_sql()),
      existing_(db, sql::query("poll_status")),
      raise_latest_(db, sql::query("raise_latest_poll")) {
  SQLite::Statement latest(db, sql::query("store_latest_polls"));
  while (latest.executeStep()) {
    newest_.emplace(latest.getColumn(0).getInt64(), latest.getColumn(1).getInt64());
  }
  writer_ = std::thread([this] { run_writer(); });  // last: needs all of the above
}

PollWriter::~PollWriter() {
  stop_writer();
}

void PollWriter::add(StoreKeys& stores, const std::string& store_id, Instant at, bool active) {
  const auto order = static_cast<std::uint32_t>(filling_.polls.size());
  filling_.polls.push_back({stores.key_of(store_id), to_micros(at), order, active});
  if (filling_.polls.size() >= kBatchRows) hand_over(stores);
}

PollWriter::Counts PollWriter::finish(StoreKeys& stores) {
  hand_over(stores);
  stop_writer();
  if (failure_) std::rethrow_exception(failure_);
  for (std::int64_t store : loaded_stores_) {
    raise_latest_.bind(1, store);
    raise_latest_.bind(2, newest_.at(store));
    raise_latest_.exec();
    raise_latest_.reset();
  }
  return counts_;
}

// Passes the filled batch to the writer, waiting while it still writes the previous one.
void PollWriter::hand_over(StoreKeys& stores) {
  filling_.stores = stores.take_pending();
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !has_batch_ || failure_; });
  if (failure_) std::rethrow_exception(failure_);
  std::swap(writing_, filling_);
  has_batch_ = true;
  changed_.notify_all();
  filling_.polls.clear();
  filling_.stores.clear();
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

void PollWriter::count_duplicate(bool kept_active, bool new_active) {
  if (kept_active == new_active) {
    ++counts_.duplicates;
  } else {
    ++counts_.conflicts;
  }
}

// insert_new_polls with its row repeated kRowsPerInsert times.
std::string PollWriter::insert_new_polls_sql() {
  std::string text = sql::query("insert_new_polls");
  const std::string row = sql::query("new_poll_values");
  for (std::size_t i = 0; i < kRowsPerInsert; ++i) text += (i ? "," : "") + row;
  return text;
}

// Writes the polls known to be new, kRowsPerInsert per statement while
// there are that many (or all, with `all`), the rest one by one.
void PollWriter::write_new(bool all) {
  std::size_t done = 0;
  for (; new_.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
    int index = 1;
    for (std::size_t i = done; i < done + kRowsPerInsert; ++i) {
      insert_new_.bind(index++, new_[i].store);
      insert_new_.bind(index++, new_[i].at_us);
      insert_new_.bind(index++, new_[i].active ? 1 : 0);
    }
    insert_new_.exec();
    insert_new_.reset();
  }
  if (all) {
    for (; done < new_.size(); ++done) insert_poll(new_[done]);
  }
  new_.erase(new_.begin(), new_.begin() + static_cast<std::ptrdiff_t>(done));
}

// False when the poll was already there.
bool PollWriter::insert_poll(const PendingPoll& poll) {
  insert_.bind(1, poll.store);
  insert_.bind(2, poll.at_us);
  insert_.bind(3, poll.active ? 1 : 0);
  const int changed = insert_.exec();
  insert_.reset();
  return changed > 0;
}

void PollWriter::loaded(const PendingPoll& poll) {
  ++counts_.loaded;
  loaded_stores_.insert(poll.store);
  auto [newest, added] = newest_.emplace(poll.store, poll.at_us);
  if (!added) newest->second = std::max(newest->second, poll.at_us);
}

void PollWriter::write(Batch& batch) {
  insert_stores(insert_store_, batch.stores);
  auto& polls = batch.polls;
  // Among polls with the same identity the first in the file sorts first, and wins.
  std::sort(polls.begin(), polls.end(), [](const PendingPoll& a, const PendingPoll& b) {
    if (a.store != b.store) return a.store < b.store;
    return a.at_us != b.at_us ? a.at_us < b.at_us : a.order < b.order;
  });
  const PendingPoll* previous = nullptr;
  for (const PendingPoll& poll : polls) {
    if (previous && previous->store == poll.store && previous->at_us == poll.at_us) {
      count_duplicate(previous->active, poll.active);
      continue;
    }
    previous = &poll;
    const auto newest = newest_.find(poll.store);
    if (newest == newest_.end() || poll.at_us > newest->second) {
      new_.push_back(poll);
      if (new_.size() == kRowsPerInsert) write_new(false);
      loaded(poll);
    } else if (insert_poll(poll)) {
      loaded(poll);
    } else {
      existing_.bind(1, poll.store);
      existing_.bind(2, poll.at_us);
      existing_.executeStep();
      count_duplicate(existing_.getColumn(0).getInt() != 0, poll.active);
      existing_.reset();
    }
  }
  // Before the next batch, whose older polls may equal some of these.
  write_new(true);
}
