#include "storage/postgresql/pg_alerts.hpp"

#include "common/clock.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schedule.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

using PgParams = std::vector<std::optional<std::string>>;

// A row of alert_clock_candidates: the store's state from its second column on.
AlertState read_alert_state(const PgResult& rows, int row) {
  AlertState state;
  state.last_poll = pg_instant_or_null(rows, row, 1);
  state.last_active = rows.int64(row, 2) != 0;
  state.inactive_run = static_cast<int>(rows.int64(row, 3));
  state.run_start = pg_instant_or_null(rows, row, 4);
  state.incident_start = pg_instant_or_null(rows, row, 5);
  state.silent_since = pg_instant_or_null(rows, row, 6);
  return state;
}

}  // namespace

PgAlerts::PgAlerts(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

std::size_t PgAlerts::raise_time_alerts(Instant clock, const AlertRules& rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const PgResult candidates = db_.exec(sql::pg_query("alert_clock_candidates"),
                                       PgParams{std::to_string(to_micros(clock - rules.silence)),
                                                std::to_string(rules.alert_after)});
  std::size_t raised = 0;
  for (int row = 0; row < candidates.rows(); ++row) {
    const std::int64_t store = candidates.int64(row, 0);
    AlertState state = read_alert_state(candidates, row);
    // An incident may have begun a week back: its downtime counts.
    const StoreInput schedule = read_store_schedule(db_, store, clock - date::days{8}, clock);
    const auto events = alerts_for_time(state, schedule, clock, rules);
    if (events.empty()) continue;
    insert(store, events);
    db_.exec(sql::pg_query("save_alert_state"),
             PgParams{std::to_string(store), pg_micros_or_null(state.last_poll),
                      state.last_active ? "1" : "0", std::to_string(state.inactive_run),
                      pg_micros_or_null(state.run_start), pg_micros_or_null(state.incident_start),
                      pg_micros_or_null(state.silent_since)});
    raised += events.size();
  }
  transaction.commit();
  return raised;
}

void PgAlerts::insert(std::int64_t store, const std::vector<AlertEvent>& events) {
  const std::string created = std::to_string(to_micros(wall_clock_now()));
  for (const AlertEvent& event : events) {
    const char* type = alert_type_name(event.type);
    std::optional<std::string> downtime;
    if (event.type == AlertType::recovered) {
      downtime = std::to_string(
          std::chrono::duration_cast<std::chrono::microseconds>(event.downtime).count());
    }
    const PgResult inserted = db_.exec(
        sql::pg_query("insert_alert_event"),
        PgParams{std::to_string(store), std::string(type), std::to_string(to_micros(event.at)),
                 pg_micros_or_null(event.incident_start), downtime, created});
    db_.exec(sql::pg_query("enqueue_deliveries"),
             PgParams{inserted.text(0, 0), std::to_string(store), std::string(type), created});
  }
}
