#include "storage/alerts.hpp"

#include "storage/alert_store.hpp"
#include "storage/postgresql/pg_alerts.hpp"
#include "storage/postgresql/pg_connection.hpp"

std::unique_ptr<Alerts> open_alerts(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgAlerts>(db);
  return std::make_unique<SqliteAlerts>(db);
}
