// Alerts wherever they are kept. So far the alerts' clock (alert_clock.hpp)
// and GET /alerts go through `Alerts`: every few seconds, the engine's time
// rules over the stores they may raise something for; the newest events with
// their deliveries and the open incidents. SQLite (SqliteAlerts,
// alert_store.hpp) and PostgreSQL (PgAlerts, postgresql/pg_alerts.hpp) are
// behind it, the same events from both. Raising alerts from polls (in the
// ingest's transaction), incident pages and a store's open incidents are
// SQLite's alone until they follow (docs/postgresql.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
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

// The newest events with their deliveries, and the incidents open now, read
// together (as of one moment). Events newest first; deliveries grouped by
// event in the events' order, then by webhook; incidents longest open first.
struct RecentAlerts {
  std::vector<AlertEventRecord> events;
  std::vector<DeliveryRecord> deliveries;
  std::vector<OpenIncident> incidents;
};

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
};

// The alerts of the database `db` names: PostgreSQL for a postgresql:// or
// postgres:// URL, else the SQLite file at that path.
std::unique_ptr<Alerts> open_alerts(const std::string& db);
