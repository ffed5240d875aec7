#include "storage/alert_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <date/tz.h>

#include <algorithm>

#include "common/clock.hpp"
#include "common/json_text.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/read_transaction.hpp"
#include "storage/schedule_reader.hpp"
#include "storage/sql_values.hpp"
#include "storage/webhook_store.hpp"

namespace {

// The statements one run of the engine uses, prepared once for all its
// stores (an hourly ingest touches every store).
class AlertTables {
 public:
  explicit AlertTables(Database& db)
      : schedule_(db.sql()),
        load_(db.sql(), sql::query("alert_state")),
        save_(db.sql(), sql::query("save_alert_state")),
        insert_(db.sql(), sql::query("insert_alert_event")),
        enqueue_(db.sql(), sql::query("enqueue_deliveries")),
        db_(db) {}

  AlertState load(std::int64_t store) {
    AlertState state;
    load_.bind(1, store);
    if (load_.executeStep()) {
      state.last_poll = optional_instant(load_.getColumn(0));
      state.last_active = load_.getColumn(1).getInt() != 0;
      state.inactive_run = load_.getColumn(2).getInt();
      state.run_start = optional_instant(load_.getColumn(3));
      state.incident_start = optional_instant(load_.getColumn(4));
      state.silent_since = optional_instant(load_.getColumn(5));
    }
    load_.reset();
    return state;
  }

  void save(std::int64_t store, const AlertState& state) {
    save_.bind(1, store);
    bind_optional(save_, 2, state.last_poll);
    save_.bind(3, state.last_active ? 1 : 0);
    save_.bind(4, state.inactive_run);
    bind_optional(save_, 5, state.run_start);
    bind_optional(save_, 6, state.incident_start);
    bind_optional(save_, 7, state.silent_since);
    save_.exec();
    save_.reset();
  }

  // What the engine needs of a store: hours, zone, and special dates within
  // its reach (an incident may have begun a week back; its downtime counts).
  StoreInput schedule(std::int64_t store, Instant clock) {
    return schedule_.schedule(store, clock - date::days{8}, clock);
  }

  // Writes the events and, in the same transaction, a pending delivery of
  // each for every webhook that wants it (the outbox).
  void insert(std::int64_t store, const std::vector<AlertEvent>& events) {
    const Instant created = wall_clock_now();
    for (const AlertEvent& event : events) {
      insert_.bind(1, store);
      insert_.bind(2, alert_type_name(event.type));
      insert_.bind(3, to_micros(event.at));
      bind_optional(insert_, 4, event.incident_start);
      if (event.type == AlertType::recovered) {
        insert_.bind(
            5, static_cast<std::int64_t>(
                   std::chrono::duration_cast<std::chrono::microseconds>(event.downtime).count()));
      } else {
        insert_.bind(5);
      }
      insert_.bind(6, to_micros(created));
      insert_.exec();
      insert_.reset();
      enqueue_.bind(1, db_.sql().getLastInsertRowid());
      enqueue_.bind(2, store);
      enqueue_.bind(3, alert_type_name(event.type));
      enqueue_.bind(4, to_micros(created));
      enqueue_.exec();
      enqueue_.reset();
    }
  }

 private:
  ScheduleReader schedule_;
  SQLite::Statement load_;
  SQLite::Statement save_;
  SQLite::Statement insert_;
  SQLite::Statement enqueue_;
  Database& db_;
};

}  // namespace

std::size_t raise_poll_alerts(Database& db, LivePolls& polls, Instant clock,
                              const AlertRules& rules) {
  if (polls.empty()) return 0;
  AlertTables tables(db);
  std::size_t raised = 0;
  for (auto& [store, store_polls] : polls) {
    AlertState state = tables.load(store);
    const std::vector<Poll> fresh = unseen_polls(store_polls, state);
    if (fresh.empty()) continue;
    const auto events = alerts_for_polls(state, tables.schedule(store, clock), fresh, clock, rules);
    tables.insert(store, events);
    tables.save(store, state);
    raised += events.size();
  }
  return raised;
}

std::size_t raise_time_alerts(Database& db, Instant clock, const AlertRules& rules) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  std::vector<std::int64_t> stores;
  {
    SQLite::Statement query(db.sql(), sql::query("alert_clock_candidates"));
    query.bind(1, to_micros(clock - rules.silence));
    query.bind(2, static_cast<std::int64_t>(rules.alert_after));
    while (query.executeStep()) stores.push_back(query.getColumn(0).getInt64());
  }
  AlertTables tables(db);
  std::size_t raised = 0;
  for (std::int64_t store : stores) {
    AlertState state = tables.load(store);
    const auto events = alerts_for_time(state, tables.schedule(store, clock), clock, rules);
    if (events.empty()) continue;
    tables.insert(store, events);
    tables.save(store, state);
    raised += events.size();
  }
  transaction.commit();
  return raised;
}

std::vector<AlertEventRecord> list_alert_events(Database& db, std::size_t limit,
                                                const std::optional<std::string>& store_id) {
  std::vector<AlertEventRecord> events;
  SQLite::Statement query(db.sql(), sql::query("list_alert_events"));
  query.bind(1, static_cast<std::int64_t>(limit));
  if (store_id) query.bind(2, *store_id);
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

std::vector<OpenIncident> open_incidents(Database& db, const std::optional<std::string>& store_id) {
  std::vector<OpenIncident> incidents;
  SQLite::Statement query(db.sql(), sql::query("open_incidents"));
  if (store_id) query.bind(1, *store_id);
  while (query.executeStep()) {
    incidents.push_back({query.getColumn(0).getString(), optional_instant(query.getColumn(1)),
                         optional_instant(query.getColumn(2))});
  }
  return incidents;
}

std::map<std::string, std::int64_t> alert_events_by_type(Database& db) {
  std::map<std::string, std::int64_t> counts;
  SQLite::Statement query(db.sql(), sql::query("alert_events_by_type"));
  while (query.executeStep())
    counts[query.getColumn(0).getString()] = query.getColumn(1).getInt64();
  return counts;
}

namespace {

// An owner's store ids as one JSON array parameter (for json_each).
void bind_store_ids(SQLite::Statement& query, int index, const std::set<std::string>* only) {
  if (!only) return;  // NULL: every store
  // Store ids are valid UTF-8 (rules §1), so the text holds them as they are.
  query.bind(index, json_text(nlohmann::json(*only)));
}

}  // namespace

IncidentPage list_incidents(Database& db, IncidentKinds kinds, std::size_t offset,
                            std::size_t limit, const std::set<std::string>* only) {
  IncidentPage page;
  ReadTransaction snapshot(db.sql());  // the count and the rows of one moment
  SQLite::Statement count(db.sql(), sql::query("incidents_count"));
  count.bind(1, kinds.open);
  count.bind(2, kinds.silent);
  count.bind(3, kinds.recovered);
  bind_store_ids(count, 4, only);
  if (count.executeStep()) page.total = count.getColumn(0).getInt64();
  SQLite::Statement query(db.sql(), sql::query("incidents_page"));
  query.bind(1, kinds.open);
  query.bind(2, kinds.silent);
  query.bind(3, kinds.recovered);
  query.bind(4, static_cast<std::int64_t>(offset + limit));
  query.bind(5, static_cast<std::int64_t>(limit));
  query.bind(6, static_cast<std::int64_t>(offset));
  bind_store_ids(query, 7, only);
  while (query.executeStep()) {
    IncidentRecord incident;
    incident.store_id = query.getColumn(0).getString();
    incident.name = query.getColumn(1).isNull() ? "" : query.getColumn(1).getString();
    incident.zone = query.getColumn(2).isNull() ? "" : query.getColumn(2).getString();
    incident.state = query.getColumn(3).getString();
    incident.start = from_micros(query.getColumn(4).getInt64());
    incident.end = optional_instant(query.getColumn(5));
    if (!query.getColumn(6).isNull()) {
      incident.downtime = std::chrono::microseconds{query.getColumn(6).getInt64()};
    }
    page.rows.push_back(std::move(incident));
  }
  return page;
}

std::int64_t incidents_opened_since(Database& db, Instant since,
                                    const std::set<std::string>* only) {
  SQLite::Statement query(db.sql(), sql::query("incidents_opened_since"));
  query.bind(1, to_micros(since));
  bind_store_ids(query, 2, only);
  return query.executeStep() ? query.getColumn(0).getInt64() : 0;
}

std::size_t SqliteAlerts::raise_time_alerts(Instant clock, const AlertRules& rules) {
  return ::raise_time_alerts(connection_.lock().db(), clock, rules);
}

RecentAlerts SqliteAlerts::recent(std::size_t limit, const std::optional<std::string>& store_id) {
  auto lease = connection_.lock();
  Database& db = lease.db();
  ReadTransaction snapshot(db.sql());  // events and deliveries as of one moment
  RecentAlerts found;
  found.events = list_alert_events(db, limit, store_id);
  std::vector<std::int64_t> ids;
  for (const AlertEventRecord& event : found.events) ids.push_back(event.id);
  found.deliveries = event_deliveries(db, ids);
  found.incidents = ::open_incidents(db, store_id);
  return found;
}

IncidentPage SqliteAlerts::incidents(IncidentKinds kinds, std::size_t offset, std::size_t limit,
                                     const std::set<std::string>* only) {
  return list_incidents(connection_.lock().db(), kinds, offset, limit, only);
}

std::int64_t SqliteAlerts::incidents_opened_since(Instant since,
                                                  const std::set<std::string>* only) {
  return ::incidents_opened_since(connection_.lock().db(), since, only);
}

std::vector<OpenIncident> SqliteAlerts::open_incidents(const std::optional<std::string>& store_id) {
  return ::open_incidents(connection_.lock().db(), store_id);
}
