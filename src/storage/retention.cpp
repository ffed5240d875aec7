#include "storage/retention.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <limits>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/test_hold.hpp"
#include "core/business_hours.hpp"
#include "core/timestamps.hpp"
#include "storage/data_generation.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_retention.hpp"
#include "storage/schedule_reader.hpp"

namespace {

// Stores per delete transaction: keeps each write lock short (about 0.1 s
// when deleting weeks of hourly polls), so ingest and reports wait little.
constexpr std::int64_t kStoresPerBatch = 50;

// The least time the worker leaves the write lock free after a delete:
// SQLite's busy handler retries a waiting writer every 100 ms at most.
constexpr std::chrono::milliseconds kMinPause{50};

// Polls become old only as the latest poll moves on: the worker looks again
// when it moved this far, and after a while anyway (a store's polls wait for
// its dates to be rolled up).
constexpr std::chrono::hours kPollsStep{1};
constexpr std::chrono::minutes kPollsRecheck{10};

// How often the worker looks for old alert rows (they age with the clock,
// slowly).
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

// Deletes with `query_name` (?1 the cutoff, ?2 the batch size) in batches.
std::size_t delete_in_batches(Database& db, const char* query_name, Instant cutoff,
                              const RetentionPause& pause) {
  return delete_alert_rows_in_batches(
      [&] {
        SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement remove(db.sql(), sql::query(query_name));
        remove.bind(1, to_micros(cutoff));
        remove.bind(2, kAlertRowsPerBatch);
        const int removed = remove.exec();
        transaction.commit();
        return static_cast<std::int64_t>(removed);
      },
      pause);
}

// Deletes one store's polls of its rolled-up dates that end by the cutoff,
// keeping the last poll at or before the local midnight that ends them (it
// speaks for the next date), and freezes those dates: their rollups stay,
// no poll being left to make them anew (docs/rollups.md). A store whose
// rollups are out of date, or not made yet, keeps its polls until they are.
class PollThinner {
 public:
  PollThinner(SQLite::Database& db, Instant cutoff)
      : schedule_(db),
        remove_(db, sql::query("delete_store_polls_before")),
        freeze_(db, sql::query("freeze_store_dates")),
        settled_(db, sql::query("rollup_settled")),
        cutoff_(cutoff),
        kept_from_(cutoff) {}

  // Returns how many polls it deleted. `last_day`: the store's last date
  // rolled up; `frozen`: its last frozen one (the int64 minimum: none).
  std::size_t thin(std::int64_t store, std::int64_t last_day, std::int64_t frozen) {
    const date::time_zone* given = schedule_.zone(store);
    const date::time_zone* zone = given ? given : default_zone();
    // The dates that end by the cutoff: before its local date.
    const date::local_days cutoff_date = date::floor<date::days>(zone->to_local(cutoff_));
    const std::int64_t through =
        std::min(last_day, static_cast<std::int64_t>(cutoff_date.time_since_epoch().count()) - 1);
    if (through <= frozen) return 0;
    const date::local_days next{date::days{through + 1}};
    remove_.bind(1, store);
    remove_.bind(2, to_micros(date::floor<std::chrono::microseconds>(local_midnight(zone, next))));
    const int removed = remove_.exec();
    remove_.reset();
    freeze_.bind(1, store);
    freeze_.bind(2, through);
    freeze_.exec();
    freeze_.reset();
    // A report as of before the date's settling poll could not read its
    // rollup, nor its polls: requests reach back to there at most.
    settled_.bind(1, store);
    settled_.bind(2, through);
    if (settled_.executeStep()) {
      kept_from_ = std::max(kept_from_, from_micros(settled_.getColumn(0).getInt64()));
    }
    settled_.reset();
    return static_cast<std::size_t>(removed);
  }

  // Polls before this instant may be gone; every request from it on is
  // answered as before.
  Instant kept_from() const { return kept_from_; }

 private:
  ScheduleReader schedule_;
  SQLite::Statement remove_;
  SQLite::Statement freeze_;
  SQLite::Statement settled_;
  Instant cutoff_;
  Instant kept_from_;
};

std::size_t delete_old_polls(Database& db, unsigned keep_days, const RetentionPause& pause,
                             Instant now) {
  std::int64_t latest_us = scalar(db, "latest_poll");
  if (latest_us < 0) return 0;
  // The line follows the latest poll but never passes the machine's clock: a
  // poll stamped far in the future must not make the whole history "old".
  const std::int64_t clock_us = to_micros(now);
  latest_us = std::min(latest_us, clock_us);
  const Instant cutoff = from_micros(latest_us) - date::days{keep_days};
  // A store's polls are deleted before the local midnight that begins the
  // cutoff's local date at the latest, never after the cutoff: a store first
  // polled after it has none to delete. A database younger than the
  // retention has nothing to delete, and walking its stores took 2 s of a
  // core at a million of them, every 10 minutes.
  SQLite::Statement polled(db.sql(), sql::query("any_store_polled_before"));
  polled.bind(1, to_micros(cutoff));
  const bool any_old = polled.executeStep() && polled.getColumn(0).getInt() != 0;
  polled.reset();
  if (!any_old) return 0;
  const std::function<void()> hold = test_hold("UPTIME_TEST_HOLD_RETENTION");
  std::size_t deleted = 0;
  for (std::int64_t first = 0;;) {
    const auto started = std::chrono::steady_clock::now();
    SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement range(db.sql(), sql::query("store_key_range"));
    range.bind(1, first);
    range.bind(2, kStoresPerBatch);
    if (!range.executeStep() || range.getColumn(0).isNull()) break;
    const std::int64_t last = range.getColumn(0).getInt64();
    PollThinner thinner(db.sql(), cutoff);
    SQLite::Statement stores(db.sql(), sql::query("stores_to_thin"));
    stores.bind(1, first);
    stores.bind(2, last);
    std::size_t removed = 0;
    while (stores.executeStep()) {
      if (stores.getColumn(1).isNull()) continue;  // nothing rolled up yet
      const std::int64_t frozen = stores.getColumn(2).isNull()
                                      ? std::numeric_limits<std::int64_t>::min()
                                      : stores.getColumn(2).getInt64();
      removed +=
          thinner.thin(stores.getColumn(0).getInt64(), stores.getColumn(1).getInt64(), frozen);
    }
    if (removed > 0) {
      record_change(db.sql(), -static_cast<std::int64_t>(removed));
      SQLite::Statement note(db.sql(), sql::query("note_polls_deleted_before"));
      note.bind(1, to_micros(thinner.kept_from()));
      note.exec();
    }
    if (hold && removed > 0) hold();
    transaction.commit();
    deleted += removed;
    first = last + 1;
    if (removed > 0 && pause && !pause(std::chrono::steady_clock::now() - started)) break;
  }
  return deleted;
}

}  // namespace

std::size_t delete_alert_rows_in_batches(const std::function<std::int64_t()>& delete_batch,
                                         const RetentionPause& pause) {
  std::size_t deleted = 0;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t removed = delete_batch();
    deleted += static_cast<std::size_t>(removed);
    if (removed < kAlertRowsPerBatch) return deleted;
    if (pause && !pause(std::chrono::steady_clock::now() - started)) return deleted;
  }
}

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

namespace {

// SQLite's target: apply_retention on a connection of its own.
class SqliteRetention : public RetentionTarget {
 public:
  explicit SqliteRetention(const std::string& path) : db_(path) {}

  std::int64_t finished_reports() override { return scalar(db_, "finished_report_count"); }
  std::optional<std::int64_t> latest_poll_us() override {
    const std::int64_t latest = scalar(db_, "latest_poll");
    return latest < 0 ? std::nullopt : std::optional<std::int64_t>(latest);
  }
  RetentionResult apply(const RetentionSettings& settings, RetentionPart part,
                        const RetentionPause& pause, Instant now) override {
    return apply_retention(db_, settings, part, pause, now);
  }

 private:
  Database db_;
};

}  // namespace

std::unique_ptr<RetentionTarget> open_retention(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgRetention>(db);
  return std::make_unique<SqliteRetention>(db);
}

RetentionWorker::RetentionWorker(const std::string& db, WorkerLease& lease,
                                 const RetentionSettings& settings,
                                 std::function<void(const RetentionResult&)> deleted,
                                 std::chrono::milliseconds check_every)
    : target_(open_retention(db)),
      lease_(lease),
      settings_(settings),
      deleted_(std::move(deleted)),
      // Tried again at the next check; each transaction commits whole or not at all.
      thread_("retention failed", check_every, PeriodicThread::FirstStep::at_start,
              [this] { check(); }) {}

void RetentionWorker::check() {
  const auto between_batches = [this](std::chrono::steady_clock::duration held) {
    return thread_.pause(std::max<std::chrono::steady_clock::duration>(held, kMinPause));
  };
  if (!lease_.held()) return;  // another server runs retention
  RetentionResult result;
  if (settings_.keep_reports > 0 && target_->finished_reports() != seen_finished_) {
    result.reports_deleted =
        target_->apply(settings_, RetentionPart::reports, {}, wall_clock_now()).reports_deleted;
    seen_finished_ = target_->finished_reports();
  }
  const std::optional<std::int64_t> latest_us =
      settings_.keep_polls_days > 0 ? target_->latest_poll_us() : std::nullopt;
  const std::int64_t step_us = std::chrono::microseconds{kPollsStep}.count();
  const auto now = std::chrono::steady_clock::now();
  if (latest_us && (!seen_latest_us_ || *latest_us - *seen_latest_us_ >= step_us ||
                    now - *polls_checked_ >= kPollsRecheck)) {
    result.polls_deleted =
        target_->apply(settings_, RetentionPart::polls, between_batches, wall_clock_now())
            .polls_deleted;
    seen_latest_us_ = latest_us;
    polls_checked_ = now;
  }
  if (settings_.keep_alerts_days > 0 &&
      (!alerts_checked_ || now - *alerts_checked_ >= kAlertsStep)) {
    const RetentionResult alerts =
        target_->apply(settings_, RetentionPart::alerts, between_batches, wall_clock_now());
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
