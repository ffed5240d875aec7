#include "storage/alerts.hpp"

#include <algorithm>

#include "storage/alert_store.hpp"
#include "storage/postgresql/pg_alerts.hpp"
#include "storage/postgresql/pg_connection.hpp"

std::vector<Poll> unseen_polls(std::vector<Poll>& polls, const AlertState& state) {
  std::sort(polls.begin(), polls.end(), [](const Poll& a, const Poll& b) { return a.at < b.at; });
  std::vector<Poll> fresh;
  for (const Poll& poll : polls) {
    if ((state.last_poll && poll.at <= *state.last_poll) ||
        (!fresh.empty() && fresh.back().at == poll.at)) {
      continue;
    }
    fresh.push_back(poll);
  }
  return fresh;
}

std::unique_ptr<Alerts> open_alerts(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgAlerts>(db);
  return std::make_unique<SqliteAlerts>(db);
}
