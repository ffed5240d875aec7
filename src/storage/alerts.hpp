// Alerts wherever they are kept. The alerts' clock (alert_clock.hpp),
// GET /alerts, /incidents and a store's open incidents go through `Alerts`:
// every few seconds, the engine's time rules over the stores they may raise
// something for; the newest events with their deliveries; pages of
// incidents. SQLite (SqliteAlerts, alert_store.hpp) and PostgreSQL
// (PgAlerts, postgresql/pg_alerts.hpp) are behind it, the same events from
// both. Alerts from polls are raised in the ingest's transaction, by each
// engine's ingest (raise_poll_alerts, pg_raise_poll_alerts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "storage/deliveries.hpp"

// An alert event as /alerts lists it.
struct AlertEventRecord {
  std::int64_t id;
  std::string store_id;
  std::string type;  // "store.down", ...
  Instant at;
  std::optional<Instant> incident_start;
  std::optional<HalfMicroseconds> downtime;
  Instant created;
};

// A store down or silent now: the incident's start (the first inactive poll
// of the run that raised store.down) and when store.silent was raised.
struct OpenIncident {
  std::string store_id;
  std::optional<Instant> down_since;
  std::optional<Instant> silent_since;
};

// An incident as GET /incidents lists it: open (down now), silent now, or
// recovered (with its end and its downtime inside business hours).
struct IncidentRecord {
  std::string store_id;
  std::string name;   // empty: none given
  std::string zone;   // as stored; empty: the default zone
  std::string state;  // "open", "silent", "recovered"
  Instant start;
  std::optional<Instant> end;
  std::optional<HalfMicroseconds> downtime;
};
struct IncidentKinds {
  bool open = true;
  bool silent = true;
  bool recovered = true;
};
struct IncidentPage {
  std::int64_t total = 0;
  std::vector<IncidentRecord> rows;
};
// The newest events with their deliveries, and the incidents open now, read
// together (as of one moment). Events newest first; deliveries grouped by
// event in the events' order, then by webhook; incidents longest open first.
struct RecentAlerts {
  std::vector<AlertEventRecord> events;
  std::vector<DeliveryRecord> deliveries;
  std::vector<OpenIncident> incidents;
};

// Live polls of one ingest, by store key: polls that arrived within
// rules.silence of their own instant (older ones are backfill, and raise
// nothing).
using LivePolls = std::map<std::int64_t, std::vector<Poll>>;  // in key order: events too

// What the engine is given of a store's live polls: those newer than the
// newest it has seen, once each, in time order (sorts `polls`).
std::vector<Poll> unseen_polls(std::vector<Poll>& polls, const AlertState& state);

class Alerts {
 public:
  virtual ~Alerts() = default;

  // One clock tick: the engine's time rules (alerts_for_time) for each store
  // not heard from since `clock` less rules.silence and not yet silent, or
  // inactive rules.alert_after times or more with no incident raised; in one
  // transaction, each store's events written with a pending delivery for
  // every webhook that wants them, and its new state. Returns the number of
  // events raised.
  virtual std::size_t raise_time_alerts(Instant clock, const AlertRules& rules) = 0;

  // At most `limit` newest events with their deliveries, and the incidents
  // open now; only `store_id`'s when given.
  virtual RecentAlerts recent(std::size_t limit, const std::optional<std::string>& store_id) = 0;

  // GET /incidents: newest start first, the count and the rows of one
  // moment; only `only`'s stores when given (an owner's). Costs in
  // proportion to offset + limit, not to the incidents kept.
  virtual IncidentPage incidents(IncidentKinds kinds, std::size_t offset, std::size_t limit,
                                 const std::set<std::string>* only) = 0;

  // store.down events raised at or after `since` (wall clock), `only`'s
  // when given.
  virtual std::int64_t incidents_opened_since(Instant since, const std::set<std::string>* only) = 0;

  // The incidents open now, longest first; only `store_id`'s when given.
  virtual std::vector<OpenIncident> open_incidents(const std::optional<std::string>& store_id) = 0;
};

// The alerts of the database `db` names: PostgreSQL for a postgresql:// or
// postgres:// URL, else the SQLite file at that path.
std::unique_ptr<Alerts> open_alerts(const std::string& db);
