#include "alert_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <date/tz.h>

#include <algorithm>

#include "clock.hpp"
#include "embedded_sql.hpp"

namespace {

std::optional<Instant> optional_instant(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return from_micros(column.getInt64());
}

void bind_optional(SQLite::Statement& statement, int index, std::optional<Instant> instant) {
  if (instant) {
    statement.bind(index, to_micros(*instant));
  } else {
    statement.bind(index);
  }
}

AlertState load_state(Database& db, std::int64_t store) {
  AlertState state;
  SQLite::Statement query(db.sql(), sql::query("alert_state"));
  query.bind(1, store);
  if (!query.executeStep()) return state;
  state.last_poll = optional_instant(query.getColumn(0));
  state.last_active = query.getColumn(1).getInt() != 0;
  state.inactive_run = query.getColumn(2).getInt();
  state.run_start = optional_instant(query.getColumn(3));
  state.incident_start = optional_instant(query.getColumn(4));
  state.silent_since = optional_instant(query.getColumn(5));
  return state;
}

void save_state(Database& db, std::int64_t store, const AlertState& state) {
  SQLite::Statement save(db.sql(), sql::query("save_alert_state"));
  save.bind(1, store);
  bind_optional(save, 2, state.last_poll);
  save.bind(3, state.last_active ? 1 : 0);
  save.bind(4, state.inactive_run);
  bind_optional(save, 5, state.run_start);
  bind_optional(save, 6, state.incident_start);
  bind_optional(save, 7, state.silent_since);
  save.exec();
}

// What the engine needs of a store: hours, zone, and special dates around `clock`.
StoreInput schedule_of(Database& db, std::int64_t store, Instant clock) {
  StoreInput input;
  SQLite::Statement zone(db.sql(), sql::query("store_zone_by_key"));
  zone.bind(1, store);
  if (zone.executeStep() && !zone.getColumn(0).isNull()) {
    input.zone = date::locate_zone(zone.getColumn(0).getString());
  }
  SQLite::Statement hours(db.sql(), sql::query("store_hours"));
  hours.bind(1, store);
  while (hours.executeStep()) {
    input.hours.push_back({hours.getColumn(0).getInt(),
                           std::chrono::seconds{hours.getColumn(1).getInt64()},
                           std::chrono::seconds{hours.getColumn(2).getInt64()}});
  }
  // Special dates within the engine's reach: an incident may have begun a
  // week back (its downtime is counted), and no zone is a day from UTC.
  const auto today = date::floor<date::days>(clock).time_since_epoch().count();
  SQLite::Statement special(db.sql(), sql::query("store_special_hours"));
  special.bind(1, store);
  special.bind(2, static_cast<std::int64_t>(today - 9));
  special.bind(3, static_cast<std::int64_t>(today + 2));
  while (special.executeStep()) {
    const date::local_days day{date::days{special.getColumn(0).getInt64()}};
    if (input.special.empty() || input.special.back().date != day)
      input.special.push_back({day, {}});
    SpecialHoursRow row;
    row.closed = special.getColumn(1).isNull();
    if (!row.closed) {
      row.start = std::chrono::seconds{special.getColumn(1).getInt64()};
      row.end = std::chrono::seconds{special.getColumn(2).getInt64()};
    }
    input.special.back().rows.push_back(row);
  }
  return input;
}

void insert_events(Database& db, std::int64_t store, const std::vector<AlertEvent>& events) {
  SQLite::Statement insert(db.sql(), sql::query("insert_alert_event"));
  const Instant created = wall_clock_now();
  for (const AlertEvent& event : events) {
    insert.bind(1, store);
    insert.bind(2, alert_type_name(event.type));
    insert.bind(3, to_micros(event.at));
    bind_optional(insert, 4, event.incident_start);
    if (event.type == AlertType::recovered) {
      insert.bind(
          5, static_cast<std::int64_t>(
                 std::chrono::duration_cast<std::chrono::microseconds>(event.downtime).count()));
    } else {
      insert.bind(5);
    }
    insert.bind(6, to_micros(created));
    insert.exec();
    insert.reset();
  }
}

}  // namespace

std::size_t raise_poll_alerts(Database& db, LivePolls& polls, Instant clock,
                              const AlertRules& rules) {
  std::size_t raised = 0;
  for (auto& [store, store_polls] : polls) {
    AlertState state = load_state(db, store);
    // Only polls newer than the newest seen, once each, in time order.
    std::sort(store_polls.begin(), store_polls.end(),
              [](const Poll& a, const Poll& b) { return a.at < b.at; });
    std::vector<Poll> fresh;
    for (const Poll& poll : store_polls) {
      if ((state.last_poll && poll.at <= *state.last_poll) ||
          (!fresh.empty() && fresh.back().at == poll.at)) {
        continue;
      }
      fresh.push_back(poll);
    }
    if (fresh.empty()) continue;
    const auto events = alerts_for_polls(state, schedule_of(db, store, clock), fresh, clock, rules);
    insert_events(db, store, events);
    save_state(db, store, state);
    raised += events.size();
  }
  return raised;
}

std::size_t raise_time_alerts(Database& db, Instant clock, const AlertRules& rules) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  std::vector<std::int64_t> stores;
  {
    SQLite::Statement query(db.sql(), sql::query("alert_state_stores"));
    while (query.executeStep()) stores.push_back(query.getColumn(0).getInt64());
  }
  std::size_t raised = 0;
  for (std::int64_t store : stores) {
    AlertState state = load_state(db, store);
    const auto events = alerts_for_time(state, schedule_of(db, store, clock), clock, rules);
    if (events.empty()) continue;
    insert_events(db, store, events);
    save_state(db, store, state);
    raised += events.size();
  }
  transaction.commit();
  return raised;
}

std::vector<AlertEventRecord> list_alert_events(Database& db, std::size_t limit) {
  std::vector<AlertEventRecord> events;
  SQLite::Statement query(db.sql(), sql::query("list_alert_events"));
  query.bind(1, static_cast<std::int64_t>(limit));
  while (query.executeStep()) {
    AlertEventRecord event;
    event.id = query.getColumn(0).getInt64();
    event.store_id = query.getColumn(1).getString();
    event.type = query.getColumn(2).getString();
    event.at = from_micros(query.getColumn(3).getInt64());
    event.incident_start = optional_instant(query.getColumn(4));
    if (!query.getColumn(5).isNull()) {
      event.downtime = std::chrono::microseconds{query.getColumn(5).getInt64()};
    }
    event.created = from_micros(query.getColumn(6).getInt64());
    events.push_back(std::move(event));
  }
  return events;
}
