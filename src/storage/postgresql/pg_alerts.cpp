#include "storage/postgresql/pg_alerts.hpp"

#include <map>

#include "common/clock.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schedule.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

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

// Writes a store's events and a pending delivery of each for every webhook
// that wants it (the outbox), in the caller's transaction.
void insert_events(PgConnection& db, std::int64_t store, const std::vector<AlertEvent>& events) {
  const std::string created = std::to_string(to_micros(wall_clock_now()));
  for (const AlertEvent& event : events) {
    const char* type = alert_type_name(event.type);
    std::optional<std::string> downtime;
    if (event.type == AlertType::recovered) {
      downtime = std::to_string(
          std::chrono::duration_cast<std::chrono::microseconds>(event.downtime).count());
    }
    const PgResult inserted = db.exec(
        sql::pg_query("insert_alert_event"),
        PgParams{std::to_string(store), std::string(type), std::to_string(to_micros(event.at)),
                 pg_micros_or_null(event.incident_start), downtime, created});
    db.exec(sql::pg_query("enqueue_deliveries"),
            PgParams{inserted.text(0, 0), std::to_string(store), std::string(type), created});
  }
}

// Stores' new states, saved together (save_alert_states): a column each.
class NewStates {
 public:
  void add(std::int64_t store, const AlertState& state) {
    const auto micros = [](const std::optional<Instant>& at) -> std::optional<std::int64_t> {
      if (!at) return std::nullopt;
      return to_micros(*at);
    };
    stores_.push_back(store);
    last_poll_.push_back(micros(state.last_poll));
    last_active_.push_back(state.last_active ? 1 : 0);
    inactive_run_.push_back(state.inactive_run);
    run_start_.push_back(micros(state.run_start));
    incident_start_.push_back(micros(state.incident_start));
    silent_since_.push_back(micros(state.silent_since));
  }

  // In the caller's transaction.
  void save(PgConnection& db) const {
    if (stores_.empty()) return;
    db.exec(
        sql::pg_query("save_alert_states"),
        PgParams{pg_int64_array(stores_), pg_int64_array(last_poll_), pg_int64_array(last_active_),
                 pg_int64_array(inactive_run_), pg_int64_array(run_start_),
                 pg_int64_array(incident_start_), pg_int64_array(silent_since_)});
  }

 private:
  std::vector<std::int64_t> stores_, last_active_, inactive_run_;
  std::vector<std::optional<std::int64_t>> last_poll_, run_start_, incident_start_, silent_since_;
};

// The incidents open now, longest first; only `store_id`'s when given.
std::vector<OpenIncident> read_open_incidents(PgConnection& db,
                                              const std::optional<std::string>& store_id) {
  std::vector<OpenIncident> found;
  const PgResult incidents = db.exec(sql::pg_query("open_incidents"), PgParams{store_id});
  for (int row = 0; row < incidents.rows(); ++row) {
    found.push_back({incidents.text(row, 0), pg_instant_or_null(incidents, row, 1),
                     pg_instant_or_null(incidents, row, 2)});
  }
  return found;
}

// An owner's store ids as a text[] parameter; nullopt (NULL: every store)
// when not given.
std::optional<std::string> owned_stores(const std::set<std::string>* only) {
  if (!only) return std::nullopt;
  return pg_text_array(std::vector<std::string>(only->begin(), only->end()));
}

}  // namespace

std::size_t pg_raise_poll_alerts(PgConnection& db, LivePolls& polls, Instant clock,
                                 const AlertRules& rules) {
  if (polls.empty()) return 0;
  std::vector<std::int64_t> stores;
  for (const auto& each : polls) stores.push_back(each.first);
  // An hourly batch brings every store: a few statements for all of them,
  // not a few for each. An incident may have begun a week back: its
  // downtime counts.
  std::map<std::int64_t, AlertState> states;
  const PgResult rows = db.exec(sql::pg_query("lock_alert_states"), {pg_int64_array(stores)});
  for (int row = 0; row < rows.rows(); ++row)
    states[rows.int64(row, 0)] = read_alert_state(rows, row);
  const std::map<std::int64_t, StoreInput> schedules =
      read_store_schedules(db, stores, clock - date::days{8}, clock);
  NewStates saved;
  std::size_t raised = 0;
  for (auto& [store, store_polls] : polls) {
    AlertState& state = states[store];  // none yet: the engine's first
    const std::vector<Poll> fresh = unseen_polls(store_polls, state);
    if (fresh.empty()) continue;
    const auto events = alerts_for_polls(state, schedules.at(store), fresh, clock, rules);
    insert_events(db, store, events);
    saved.add(store, state);
    raised += events.size();
  }
  saved.save(db);
  return raised;
}

PgAlerts::PgAlerts(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

std::size_t PgAlerts::raise_time_alerts(Instant clock, const AlertRules& rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const PgResult candidates = db_.exec(sql::pg_query("alert_clock_candidates"),
                                       PgParams{std::to_string(to_micros(clock - rules.silence)),
                                                std::to_string(rules.alert_after)});
  std::vector<std::int64_t> stores;
  for (int row = 0; row < candidates.rows(); ++row) stores.push_back(candidates.int64(row, 0));
  // An incident may have begun a week back: its downtime counts.
  const std::map<std::int64_t, StoreInput> schedules =
      read_store_schedules(db_, stores, clock - date::days{8}, clock);
  NewStates saved;
  std::size_t raised = 0;
  for (int row = 0; row < candidates.rows(); ++row) {
    const std::int64_t store = candidates.int64(row, 0);
    AlertState state = read_alert_state(candidates, row);
    const auto events = alerts_for_time(state, schedules.at(store), clock, rules);
    if (events.empty()) continue;
    insert_events(db_, store, events);
    saved.add(store, state);
    raised += events.size();
  }
  saved.save(db_);
  transaction.commit();
  return raised;
}

RecentAlerts PgAlerts::recent(std::size_t limit, const std::optional<std::string>& store_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction snapshot(db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  RecentAlerts found;
  const PgResult events =
      db_.exec(sql::pg_query("list_alert_events"), PgParams{std::to_string(limit), store_id});
  std::vector<std::int64_t> ids;
  for (int row = 0; row < events.rows(); ++row) {
    AlertEventRecord event;
    event.id = events.int64(row, 0);
    event.store_id = events.text(row, 1);
    event.type = events.text(row, 2);
    event.at = from_micros(events.int64(row, 3));
    event.incident_start = pg_instant_or_null(events, row, 4);
    if (!events.is_null(row, 5)) event.downtime = std::chrono::microseconds{events.int64(row, 5)};
    event.created = from_micros(events.int64(row, 6));
    ids.push_back(event.id);
    found.events.push_back(std::move(event));
  }
  const PgResult deliveries =
      db_.exec(sql::pg_query("events_deliveries"), PgParams{pg_int64_array(ids)});
  for (int row = 0; row < deliveries.rows(); ++row) {
    DeliveryRecord record;
    record.event = deliveries.int64(row, 0);
    record.webhook = deliveries.int64(row, 1);
    record.state = parse_delivery_state(deliveries.text(row, 2)).value();
    record.attempts = static_cast<int>(deliveries.int64(row, 3));
    record.next_attempt = pg_instant_or_null(deliveries, row, 4);
    record.last_attempt = pg_instant_or_null(deliveries, row, 5);
    if (!deliveries.is_null(row, 6))
      record.last_status = static_cast<int>(deliveries.int64(row, 6));
    if (!deliveries.is_null(row, 7)) record.last_error = deliveries.text(row, 7);
    found.deliveries.push_back(std::move(record));
  }
  found.incidents = read_open_incidents(db_, store_id);
  snapshot.commit();
  return found;
}

IncidentPage PgAlerts::incidents(IncidentKinds kinds, std::size_t offset, std::size_t limit,
                                 const std::set<std::string>* only) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The count and the rows of one moment.
  PgTransaction snapshot(db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const std::string open = kinds.open ? "t" : "f", silent = kinds.silent ? "t" : "f",
                    recovered = kinds.recovered ? "t" : "f";
  const std::optional<std::string> owned = owned_stores(only);
  IncidentPage page;
  page.total = db_.exec(sql::pg_query("incidents_count"), PgParams{open, silent, recovered, owned})
                   .int64(0, 0);
  const PgResult rows = db_.exec(sql::pg_query("incidents_page"),
                                 PgParams{open, silent, recovered, std::to_string(offset + limit),
                                          std::to_string(limit), std::to_string(offset), owned});
  for (int row = 0; row < rows.rows(); ++row) {
    IncidentRecord incident;
    incident.store_id = rows.text(row, 0);
    incident.name = rows.is_null(row, 1) ? "" : rows.text(row, 1);
    incident.zone = rows.is_null(row, 2) ? "" : rows.text(row, 2);
    incident.state = rows.text(row, 3);
    incident.start = from_micros(rows.int64(row, 4));
    incident.end = pg_instant_or_null(rows, row, 5);
    if (!rows.is_null(row, 6)) incident.downtime = std::chrono::microseconds{rows.int64(row, 6)};
    page.rows.push_back(std::move(incident));
  }
  snapshot.commit();
  return page;
}

std::int64_t PgAlerts::incidents_opened_since(Instant since, const std::set<std::string>* only) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_
      .exec(sql::pg_query("incidents_opened_since"),
            PgParams{std::to_string(to_micros(since)), owned_stores(only)})
      .int64(0, 0);
}

std::vector<OpenIncident> PgAlerts::open_incidents(const std::optional<std::string>& store_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_open_incidents(db_, store_id);
}
