// Alerts in PostgreSQL (alerts.hpp says what goes through them), on a
// connection of their own, one call at a time.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "storage/alerts.hpp"
#include "storage/postgresql/pg_connection.hpp"

// Runs the engine over each store's live polls at `clock` (as SQLite's
// raise_poll_alerts, alert_store.hpp), in the caller's transaction: the
// stores' states locked and their schedules read together, each store's
// events written with their deliveries, the new states saved together (an
// hourly batch brings every store). Returns the number of events raised.
std::size_t pg_raise_poll_alerts(PgConnection& db, LivePolls& polls, Instant clock,
                                 const AlertRules& rules);

class PgAlerts : public Alerts {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgAlerts(const std::string& url);

  std::size_t raise_time_alerts(Instant clock, const AlertRules& rules) override;
  RecentAlerts recent(std::size_t limit, const std::optional<std::string>& store_id) override;
  IncidentPage incidents(IncidentKinds kinds, std::size_t offset, std::size_t limit,
                         const std::set<std::string>* only) override;
  std::int64_t incidents_opened_since(Instant since, const std::set<std::string>* only) override;
  std::vector<OpenIncident> open_incidents(const std::optional<std::string>& store_id) override;

 private:
  std::mutex mutex_;
  PgConnection db_;
};
