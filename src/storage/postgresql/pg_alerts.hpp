// Alerts in PostgreSQL (alerts.hpp says what goes through them), on a
// connection of their own, one call at a time.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "storage/alerts.hpp"
#include "storage/postgresql/pg_connection.hpp"

class PgAlerts : public Alerts {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgAlerts(const std::string& url);

  std::size_t raise_time_alerts(Instant clock, const AlertRules& rules) override;
  RecentAlerts recent(std::size_t limit, const std::optional<std::string>& store_id) override;

 private:
  // Writes the events and a pending delivery of each for every webhook that
  // wants it (the outbox), in the caller's transaction.
  void insert(std::int64_t store, const std::vector<AlertEvent>& events);

  std::mutex mutex_;
  PgConnection db_;
};
