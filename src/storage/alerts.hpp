// Alerts wherever they are kept. So far the alerts' clock (alert_clock.hpp)
// goes through `Alerts`: every few seconds, the engine's time rules over the
// stores they may raise something for. SQLite (SqliteAlerts, alert_store.hpp)
// and PostgreSQL (PgAlerts, postgresql/pg_alerts.hpp) are behind it, the same
// events from both. Raising alerts from polls (in the ingest's transaction),
// and reading events and incidents, are SQLite's alone until they follow
// (docs/postgresql.md).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/alerts.hpp"

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
};

// The alerts of the database `db` names: PostgreSQL for a postgresql:// or
// postgres:// URL, else the SQLite file at that path.
std::unique_ptr<Alerts> open_alerts(const std::string& db);
