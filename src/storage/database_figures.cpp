#include "storage/database_figures.hpp"

#include <SQLiteCpp/Statement.h>

#include <filesystem>

#include "storage/alert_store.hpp"
#include "storage/embedded_sql.hpp"

DatabaseFigures read_database_figures(Database& db) {
  DatabaseFigures figures;
  figures.polls = count_polls(db);
  figures.stores = db.sql().execAndGet(sql::query("store_count")).getInt64();
  SQLite::Statement statuses(db.sql(), sql::query("reports_by_status"));
  while (statuses.executeStep()) {
    figures.reports_by_status[statuses.getColumn(0).getString()] = statuses.getColumn(1).getInt64();
  }
  SQLite::Statement last(db.sql(), sql::query("last_complete_report"));
  if (last.executeStep()) {
    if (!last.getColumn(0).isNull()) figures.last_report_stores = last.getColumn(0).getInt64();
    if (!last.getColumn(1).isNull()) {
      figures.last_report_as_of_seconds = static_cast<double>(last.getColumn(1).getInt64()) / 1e6;
    }
  }
  figures.alert_events_by_type = alert_events_by_type(db);
  figures.outbox = read_outbox(db);
  SQLite::Statement kept(db.sql(), sql::query("kept_alert_rows"));
  kept.executeStep();
  figures.alert_events_kept = kept.getColumn(0).getInt64();
  figures.deliveries_kept = kept.getColumn(1).getInt64();
  figures.stores_to_roll_up = db.sql().execAndGet(sql::query("count_stores_to_roll_up")).getInt64();
  for (const std::string& file : {db.path(), db.path() + "-wal"}) {
    std::error_code missing;
    const auto bytes = std::filesystem::file_size(file, missing);
    if (!missing) figures.database_bytes += bytes;
  }
  return figures;
}

std::int64_t count_polls(Database& db) {
  return db.sql().execAndGet(sql::query("count_polls")).getInt64();
}

std::optional<Instant> latest_poll(Database& db) {
  const SQLite::Column latest = db.sql().execAndGet(sql::query("latest_poll"));
  if (latest.isNull()) return std::nullopt;
  return from_micros(latest.getInt64());
}

DatabaseFigures SqliteFigures::read() {
  return read_database_figures(reader_.lock().db());
}

DatabaseHealth SqliteFigures::health() {
  auto lease = reader_.lock();
  return {count_polls(lease.db()), latest_poll(lease.db()), lease.db().schema_version()};
}
