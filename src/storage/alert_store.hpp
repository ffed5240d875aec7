// Alerts in the database: each store's AlertState and the events the core's
// engine (core/alerts.hpp) raises, written in the same transaction as the
// ingest or clock tick that raised them, with their webhook deliveries
// (webhook_store.hpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "storage/alerts.hpp"
#include "storage/database.hpp"
#include "storage/shared_connection.hpp"

// Runs the engine over each store's live polls at `clock` and writes its new
// state and events. Call inside the ingest's transaction. Returns the number
// of events raised.
std::size_t raise_poll_alerts(Database& db, LivePolls& polls, Instant clock,
                              const AlertRules& rules);

// One clock tick: the engine's time rules for the stores they may raise
// something for (not heard from lately, or down with no incident raised:
// alert_clock_candidates), in one transaction. Returns the number of events
// raised.
std::size_t raise_time_alerts(Database& db, Instant clock, const AlertRules& rules);

// The same through Alerts (alerts.hpp), one call at a time: on a connection
// of its own (the alerts' clock), or on one the server shares (GET /alerts
// reads through its read-only status connection).
class SqliteAlerts : public Alerts {
 public:
  explicit SqliteAlerts(const std::string& path)
      : own_(std::make_unique<SharedConnection>(path)), connection_(*own_) {}
  explicit SqliteAlerts(SharedConnection& connection) : connection_(connection) {}
  std::size_t raise_time_alerts(Instant clock, const AlertRules& rules) override;
  RecentAlerts recent(std::size_t limit, const std::optional<std::string>& store_id) override;
  IncidentPage incidents(IncidentKinds kinds, std::size_t offset, std::size_t limit,
                         const std::set<std::string>* only) override;
  std::int64_t incidents_opened_since(Instant since, const std::set<std::string>* only) override;
  std::vector<OpenIncident> open_incidents(const std::optional<std::string>& store_id) override;

 private:
  std::unique_ptr<SharedConnection> own_;  // unset when shared
  SharedConnection& connection_;
};

// Newest first, at most `limit`; only `store_id`'s when given.
std::vector<AlertEventRecord> list_alert_events(Database& db, std::size_t limit,
                                                const std::optional<std::string>& store_id = {});

// Longest open first; only `store_id`'s when given.
std::vector<OpenIncident> open_incidents(Database& db,
                                         const std::optional<std::string>& store_id = {});

// Newest start first; only `only`'s stores when given (an owner's). Costs
// in proportion to offset + limit, not to the incidents kept.
IncidentPage list_incidents(Database& db, IncidentKinds kinds, std::size_t offset,
                            std::size_t limit, const std::set<std::string>* only);
// store.down events raised at or after `since` (wall clock), `only`'s when given.
std::int64_t incidents_opened_since(Database& db, Instant since, const std::set<std::string>* only);

// Events raised so far, by type ("store.down", ...): for /metrics.
std::map<std::string, std::int64_t> alert_events_by_type(Database& db);
