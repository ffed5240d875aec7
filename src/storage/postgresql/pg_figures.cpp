#include "storage/postgresql/pg_figures.hpp"

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

PgFigures::PgFigures(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

DatabaseFigures PgFigures::read() {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction snapshot(db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  DatabaseFigures figures;
  const PgResult totals = db_.exec(sql::pg_query("database_totals"));
  figures.polls = totals.int64(0, 0);
  figures.stores = totals.int64(0, 1);
  figures.alert_events_kept = totals.int64(0, 2);
  figures.deliveries_kept = totals.int64(0, 3);
  figures.database_bytes = static_cast<std::uintmax_t>(totals.int64(0, 4));
  figures.outbox.pending = totals.int64(0, 5);
  figures.outbox.oldest_raised = pg_instant_or_null(totals, 0, 6);
  figures.stores_to_roll_up = totals.int64(0, 7);
  const PgResult statuses = db_.exec(sql::pg_query("reports_by_status"));
  for (int row = 0; row < statuses.rows(); ++row) {
    figures.reports_by_status[statuses.text(row, 0)] = statuses.int64(row, 1);
  }
  const PgResult last = db_.exec(sql::pg_query("last_complete_report"));
  if (last.rows() > 0) {
    if (!last.is_null(0, 0)) figures.last_report_stores = last.int64(0, 0);
    if (!last.is_null(0, 1)) {
      figures.last_report_as_of_seconds = static_cast<double>(last.int64(0, 1)) / 1e6;
    }
  }
  const PgResult raised = db_.exec(sql::pg_query("alert_events_by_type"));
  for (int row = 0; row < raised.rows(); ++row) {
    figures.alert_events_by_type[raised.text(row, 0)] = raised.int64(row, 1);
  }
  snapshot.commit();
  return figures;
}

DatabaseHealth PgFigures::health() {
  std::lock_guard<std::mutex> lock(mutex_);
  const PgResult health = db_.exec(sql::pg_query("database_health"));
  return {health.int64(0, 0), pg_instant_or_null(health, 0, 1),
          static_cast<int>(health.int64(0, 2))};
}
