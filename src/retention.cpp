#include "retention.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "embedded_sql.hpp"
#include "log.hpp"
#include "timestamps.hpp"

namespace {

// Stores per delete transaction: keeps each write lock short, so ingest and
// the report queue never wait long behind retention.
constexpr std::int64_t kStoresPerBatch = 500;

std::size_t delete_old_reports(Database& db, std::size_t keep) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement remove(db.sql(), sql::query("delete_old_reports"));
  remove.bind(1, static_cast<std::int64_t>(keep));
  const int deleted = remove.exec();
  transaction.commit();
  return static_cast<std::size_t>(deleted);
}

std::size_t delete_old_polls(Database& db, unsigned keep_days) {
  SQLite::Column latest = db.sql().execAndGet(sql::query("latest_poll"));
  if (latest.isNull()) return 0;
  const Instant cutoff = from_micros(latest.getInt64()) - date::days{keep_days};
  std::size_t deleted = 0;
  for (std::int64_t first = 0;;) {
    SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement range(db.sql(), sql::query("store_key_range"));
    range.bind(1, first);
    range.bind(2, kStoresPerBatch);
    if (!range.executeStep() || range.getColumn(0).isNull()) break;
    const std::int64_t last = range.getColumn(0).getInt64();
    SQLite::Statement remove(db.sql(), sql::query("delete_old_polls"));
    remove.bind(1, first);
    remove.bind(2, last);
    remove.bind(3, to_micros(cutoff));
    const int removed = remove.exec();
    if (removed > 0) {
      SQLite::Statement record(db.sql(), sql::query("record_change"));
      record.bind(1, -static_cast<std::int64_t>(removed));
      record.exec();
    }
    transaction.commit();
    deleted += static_cast<std::size_t>(removed);
    first = last + 1;
  }
  return deleted;
}

}  // namespace

RetentionResult apply_retention(Database& db, const RetentionSettings& settings) {
  RetentionResult result;
  if (settings.keep_reports > 0)
    result.reports_deleted = delete_old_reports(db, settings.keep_reports);
  if (settings.keep_polls_days > 0)
    result.polls_deleted = delete_old_polls(db, settings.keep_polls_days);
  return result;
}

RetentionWorker::RetentionWorker(const std::string& db_path, const RetentionSettings& settings,
                                 std::chrono::milliseconds check_every)
    : db_(db_path), settings_(settings), thread_([this, check_every] { run(check_every); }) {}

RetentionWorker::~RetentionWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RetentionWorker::run(std::chrono::milliseconds check_every) {
  // What was seen at the last run: nothing to do until one of them moves.
  std::int64_t seen_generation = -1;
  std::int64_t seen_finished = -1;
  for (;;) {
    try {
      const std::int64_t generation =
          db_.sql().execAndGet(sql::query("data_generation")).getInt64();
      const std::int64_t finished =
          db_.sql().execAndGet(sql::query("finished_report_count")).getInt64();
      if (generation != seen_generation || finished != seen_finished) {
        const RetentionResult result = apply_retention(db_, settings_);
        if (result.reports_deleted + result.polls_deleted > 0) {
          log_info("retention: deleted " + std::to_string(result.reports_deleted) +
                       " reports and " + std::to_string(result.polls_deleted) + " polls",
                   {{"reports_deleted", result.reports_deleted},
                    {"polls_deleted", result.polls_deleted}});
        }
        seen_generation = db_.sql().execAndGet(sql::query("data_generation")).getInt64();
        seen_finished = db_.sql().execAndGet(sql::query("finished_report_count")).getInt64();
      }
    } catch (const std::exception& error) {
      // Tried again at the next check; the data is never half-deleted.
      log_error(std::string("retention failed: ") + error.what(), {{"error", error.what()}});
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, check_every, [this] { return stopping_; })) return;
  }
}
