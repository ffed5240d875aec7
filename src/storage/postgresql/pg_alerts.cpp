#include "storage/postgresql/pg_alerts.hpp"

#include <date/tz.h>

#include "common/clock.hpp"
#include "core/business_hours.hpp"
#include "storage/embedded_sql.hpp"
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
    const auto events = alerts_for_time(state, schedule(store, clock), clock, rules);
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

StoreInput PgAlerts::schedule(std::int64_t store, Instant clock) {
  StoreInput input;
  const std::string from = std::to_string(store), to = std::to_string(store + 1);
  const PgResult zone = db_.exec(sql::pg_query("store_zone_by_key"), PgParams{from});
  if (zone.rows() > 0 && !zone.is_null(0, 0)) input.zone = date::locate_zone(zone.text(0, 0));
  const PgResult hours = db_.exec(sql::pg_query("chunk_hours"), PgParams{from, to});
  for (int row = 0; row < hours.rows(); ++row) {
    input.hours.push_back({static_cast<int>(hours.int64(row, 1)),
                           std::chrono::seconds{hours.int64(row, 2)},
                           std::chrono::seconds{hours.int64(row, 3)}});
  }
  const LocalDayRange days = local_days_touching(clock - date::days{8}, clock);
  const PgResult special =
      db_.exec(sql::pg_query("chunk_special_hours"),
               PgParams{from, to, std::to_string(days.first), std::to_string(days.last)});
  for (int row = 0; row < special.rows(); ++row) {
    const date::local_days day{date::days{special.int64(row, 1)}};
    if (special.is_null(row, 2)) {
      add_special_row(input.special, day, std::nullopt);
    } else {
      add_special_row(input.special, day,
                      std::make_pair(std::chrono::seconds{special.int64(row, 2)},
                                     std::chrono::seconds{special.int64(row, 3)}));
    }
  }
  return input;
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
