#include "storage/retention.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "core/timestamps.hpp"
#include "storage/data_generation.hpp"
#include "storage/embedded_sql.hpp"

namespace {

// Stores per delete transaction: keeps each write lock short (about 0.1 s
// when deleting weeks of hourly polls), so ingest and reports wait little.
constexpr std::int64_t kStoresPerBatch = 50;

// The least time the worker leaves the write lock free after a delete:
// SQLite's busy handler retries a waiting writer every 100 ms at most.
constexpr std::chrono::milliseconds kMinPause{50};

// Polls become old only as the latest poll moves on: the worker looks again
// when it moved this far.
constexpr std::chrono::hours kPollsStep{1};

// Alert rows per delete transaction, and how often the worker looks for old
// ones (they age with the clock, slowly).
constexpr std::int64_t kAlertRowsPerBatch = 1000;
constexpr std::chrono::minutes kAlertsStep{10};

// One value of a named query, -1 for NULL. The statement is done when this
// returns: a statement left open would hold a read snapshot, and turning a
// stale snapshot into a write fails at once with "database is locked".
std::int64_t scalar(Database& db, const char* query_name) {
  SQLite::Column value = db.sql().execAndGet(sql::query(query_name));
  return value.isNull() ? -1 : value.getInt64();
}

std::size_t delete_old_reports(Database& db, std::size_t keep) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement remove(db.sql(), sql::query("delete_old_reports"));
  remove.bind(1, static_cast<std::int64_t>(keep));
  const int deleted = remove.exec();
  transaction.commit();
  return static_cast<std::size_t>(deleted);
}

// Deletes with `query_name` (?1 the cutoff, ?2 the batch size) until a batch
// deletes nothing, pausing between batches; returns the rows deleted.
std::size_t delete_in_batches(Database& db, const char* query_name, Instant cutoff,
                              const RetentionPause& pause) {
  std::size_t deleted = 0;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement remove(db.sql(), sql::query(query_name));
    remove.bind(1, to_micros(cutoff));
    remove.bind(2, kAlertRowsPerBatch);
    const int removed = remove.exec();
    transaction.commit();
    deleted += static_cast<std::size_t>(removed);
    if (removed < kAlertRowsPerBatch) return deleted;
    if (pause && !pause(std::chrono::steady_clock::now() - started)) return deleted;
  }
}

std::size_t delete_old_polls(Database& db, unsigned keep_days, const RetentionPause& pause,
                             Instant now) {
  std::int64_t latest_us = scalar(db, "latest_poll");
  if (latest_us < 0) return 0;
  // The line follows the latest poll but never passes the machine's clock: a
  // poll stamped far in the future must not make the whole history "old".
  const std::int64_t clock_us = to_micros(now);
  latest_us = std::min(latest_us, clock_us);
  const Instant cutoff = from_micros(latest_us) - date::days{keep_days};
  std::size_t deleted = 0;
  for (std::int64_t first = 0;;) {
    const auto started = std::chrono::steady_clock::now();
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
      record_change(db.sql(), -static_cast<std::int64_t>(removed));
      SQLite::Statement refresh(db.sql(), sql::query("refresh_first_polls"));
      refresh.bind(1, first);
      refresh.bind(2, last);
      refresh.exec();
    }
    transaction.commit();
    deleted += static_cast<std::size_t>(removed);
    first = last + 1;
    if (removed > 0 && pause && !pause(std::chrono::steady_clock::now() - started)) break;
  }
  return deleted;
}

}  // namespace

RetentionResult apply_retention(Database& db, const RetentionSettings& settings, RetentionPart part,
                                const RetentionPause& pause, Instant now) {
  const auto wanted = [part](RetentionPart one) {
    return part == RetentionPart::all || part == one;
  };
  RetentionResult result;
  if (settings.keep_reports > 0 && wanted(RetentionPart::reports)) {
    result.reports_deleted = delete_old_reports(db, settings.keep_reports);
  }
  if (settings.keep_polls_days > 0 && wanted(RetentionPart::polls)) {
    result.polls_deleted = delete_old_polls(db, settings.keep_polls_days, pause, now);
  }
  if (settings.keep_alerts_days > 0 && wanted(RetentionPart::alerts)) {
    const Instant cutoff = now - date::days{settings.keep_alerts_days};
    result.deliveries_deleted = delete_in_batches(db, "delete_old_deliveries", cutoff, pause);
    result.alert_events_deleted = delete_in_batches(db, "delete_old_alert_events", cutoff, pause);
  }
  return result;
}

RetentionWorker::RetentionWorker(const std::string& db_path, const RetentionSettings& settings,
                                 std::function<void(const RetentionResult&)> deleted,
                                 std::chrono::milliseconds check_every)
    : db_(db_path),
      settings_(settings),
      deleted_(std::move(deleted)),
      // Tried again at the next check; each transaction commits whole or not at all.
      thread_("retention failed", check_every, PeriodicThread::FirstStep::at_start,
              [this] { check(); }) {}

void RetentionWorker::check() {
  const auto between_batches = [this](std::chrono::steady_clock::duration held) {
    return thread_.pause(std::max<std::chrono::steady_clock::duration>(held, kMinPause));
  };
  RetentionResult result;
  const std::int64_t finished = scalar(db_, "finished_report_count");
  if (settings_.keep_reports > 0 && finished != seen_finished_) {
    result.reports_deleted =
        apply_retention(db_, settings_, RetentionPart::reports).reports_deleted;
    seen_finished_ = scalar(db_, "finished_report_count");
  }
  const std::int64_t latest_us = scalar(db_, "latest_poll");
  const std::int64_t step_us = std::chrono::microseconds{kPollsStep}.count();
  if (settings_.keep_polls_days > 0 && latest_us >= 0 &&
      (!seen_latest_us_ || latest_us - *seen_latest_us_ >= step_us)) {
    result.polls_deleted =
        apply_retention(db_, settings_, RetentionPart::polls, between_batches).polls_deleted;
    seen_latest_us_ = latest_us;
  }
  const auto now = std::chrono::steady_clock::now();
  if (settings_.keep_alerts_days > 0 &&
      (!alerts_checked_ || now - *alerts_checked_ >= kAlertsStep)) {
    const RetentionResult alerts =
        apply_retention(db_, settings_, RetentionPart::alerts, between_batches);
    result.alert_events_deleted = alerts.alert_events_deleted;
    result.deliveries_deleted = alerts.deliveries_deleted;
    alerts_checked_ = now;
  }
  if (result.total() == 0) return;
  log_info("retention: deleted " + std::to_string(result.reports_deleted) + " reports, " +
               std::to_string(result.polls_deleted) + " polls, " +
               std::to_string(result.alert_events_deleted) + " alert events and " +
               std::to_string(result.deliveries_deleted) + " webhook deliveries",
           {{"reports_deleted", result.reports_deleted},
            {"polls_deleted", result.polls_deleted},
            {"alert_events_deleted", result.alert_events_deleted},
            {"deliveries_deleted", result.deliveries_deleted}});
  if (deleted_) deleted_(result);
}
