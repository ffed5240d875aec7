// Retention: deletes finished reports beyond the newest N, polls more than
// D days older than the latest poll, and alert events (with their finished
// webhook deliveries) raised more than A days ago, in small transactions, on
// a background thread. Reports read in their own snapshot, so a deletion never changes
// what a running report reads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/periodic_thread.hpp"
#include "storage/database.hpp"
#include "storage/worker_lease.hpp"

struct RetentionSettings {
  std::size_t keep_reports = 0;   // finished reports kept, newest first; 0: all
  unsigned keep_polls_days = 0;   // 0: all; else >= 8, so that a report as of the
                                  // latest poll never reaches deleted data
  unsigned keep_alerts_days = 0;  // 0: all; else alert events raised within this many days
  bool enabled() const { return keep_reports > 0 || keep_polls_days > 0 || keep_alerts_days > 0; }
};

struct RetentionResult {
  std::size_t reports_deleted = 0;
  std::size_t polls_deleted = 0;
  std::size_t alert_events_deleted = 0;
  std::size_t deliveries_deleted = 0;
  std::size_t total() const {
    return reports_deleted + polls_deleted + alert_events_deleted + deliveries_deleted;
  }
};

enum class RetentionPart { all, reports, polls, alerts };

// Called after each transaction that deleted polls with how long it held the
// write lock; returns false to stop early (the rest goes next time).
using RetentionPause = std::function<bool(std::chrono::steady_clock::duration held)>;

// Deletes once, at `now` (the wall clock). Polls: of each store whose daily
// rollups are up to date, those of its rolled-up dates that end before the
// line (min(latest poll, now) - D days), but the last one at or before the
// local midnight ending them; those dates are frozen, their rollups kept
// (docs/rollups.md). 50 stores per transaction; data_state (the poll count,
// the instant polls may be missing before) in the same transactions.
// Alerts: webhook deliveries done with (delivered or failed) of events raised
// before now - A days, then those events once no delivery is left, 1,000
// rows per transaction (a pending delivery keeps its event). Throws
// std::runtime_error when the database fails.
RetentionResult apply_retention(Database& db, const RetentionSettings& settings,
                                RetentionPart part = RetentionPart::all,
                                const RetentionPause& pause = {}, Instant now = wall_clock_now());

// Alert rows per delete transaction, on either engine: each one short.
constexpr std::int64_t kAlertRowsPerBatch = 1000;

// Runs `delete_batch` (one transaction deleting at most kAlertRowsPerBatch
// rows; returns how many) until a batch deletes fewer, calling `pause`
// between batches; returns the rows deleted. Each engine's alert retention.
std::size_t delete_alert_rows_in_batches(const std::function<std::int64_t()>& delete_batch,
                                         const RetentionPause& pause);

// What the retention worker deletes through, whatever the engine: SQLite's
// (apply_retention) or PostgreSQL's (reports and alerts the same way; its
// polls are kept until it has daily rollups: docs/postgresql.md).
class RetentionTarget {
 public:
  virtual ~RetentionTarget() = default;
  // Finished (Complete or Failed) reports: none to delete until it moves.
  virtual std::int64_t finished_reports() = 0;
  // The latest poll, UTC microseconds; nullopt: none.
  virtual std::optional<std::int64_t> latest_poll_us() = 0;
  // Deletes once, as apply_retention does. Throws std::runtime_error when the
  // database fails.
  virtual RetentionResult apply(const RetentionSettings& settings, RetentionPart part,
                                const RetentionPause& pause, Instant now) = 0;
};

// The target for the database `db` names, on a connection of its own:
// PostgreSQL's for a postgresql:// or postgres:// URL, else SQLite's.
std::unique_ptr<RetentionTarget> open_retention(const std::string& db);

// Runs a RetentionTarget on its own connection: reports whenever the number of
// finished ones changed, polls at start, whenever the latest poll moved an
// hour on (nothing else makes more of them old) and every ten minutes (a
// store's polls wait for its dates to be rolled up), alerts at start and
// every ten minutes; checks every `check_every`; tells `deleted` what each
// check deleted (metrics).
// Between delete transactions it leaves the write lock free for as long as it
// held it (at least 50 ms), so ingest and reports never starve behind a large
// first clean-up. A check runs only while this process holds `lease` (one
// server at a time on PostgreSQL). Stops (and joins) when destroyed.
class RetentionWorker {
 public:
  // `db`: a SQLite path or a PostgreSQL URL (open_retention).
  RetentionWorker(const std::string& db, WorkerLease& lease, const RetentionSettings& settings,
                  std::function<void(const RetentionResult&)> deleted = {},
                  std::chrono::milliseconds check_every = std::chrono::seconds{1});

 private:
  void check();

  std::unique_ptr<RetentionTarget> target_;
  WorkerLease& lease_;
  RetentionSettings settings_;
  std::function<void(const RetentionResult&)> deleted_;
  // What the last check saw: nothing to do until it moves.
  std::optional<std::int64_t> seen_finished_;
  std::optional<std::int64_t> seen_latest_us_;
  std::optional<std::chrono::steady_clock::time_point> polls_checked_;
  std::optional<std::chrono::steady_clock::time_point> alerts_checked_;
  PeriodicThread thread_;
};
