#include "storage/postgresql/pg_retention.hpp"

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

PgRetention::PgRetention(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

std::int64_t PgRetention::finished_reports() {
  return db_.exec(sql::pg_query("finished_report_count")).int64(0, 0);
}

std::optional<std::int64_t> PgRetention::latest_poll_us() {
  const PgResult latest = db_.exec(sql::pg_query("latest_poll"));
  if (latest.is_null(0, 0)) return std::nullopt;
  return latest.int64(0, 0);
}

RetentionResult PgRetention::apply(const RetentionSettings& settings, RetentionPart part,
                                   const RetentionPause& pause, Instant now) {
  const auto wanted = [part](RetentionPart one) {
    return part == RetentionPart::all || part == one;
  };
  RetentionResult result;
  if (settings.keep_reports > 0 && wanted(RetentionPart::reports)) {
    // One statement: its rows go with each report (ON DELETE CASCADE).
    result.reports_deleted =
        static_cast<std::size_t>(db_.exec(sql::pg_query("delete_old_reports"),
                                          PgParams{std::to_string(settings.keep_reports)})
                                     .affected_rows());
  }
  if (settings.keep_alerts_days > 0 && wanted(RetentionPart::alerts)) {
    const Instant cutoff = now - date::days{settings.keep_alerts_days};
    result.deliveries_deleted = delete_in_batches("delete_old_deliveries", cutoff, pause);
    result.alert_events_deleted = delete_in_batches("delete_old_alert_events", cutoff, pause);
  }
  return result;
}

std::size_t PgRetention::delete_in_batches(const char* query_name, Instant cutoff,
                                           const RetentionPause& pause) {
  return delete_alert_rows_in_batches(
      [&] {
        return static_cast<std::int64_t>(
            db_.exec(sql::pg_query(query_name), PgParams{std::to_string(to_micros(cutoff)),
                                                         std::to_string(kAlertRowsPerBatch)})
                .affected_rows());
      },
      pause);
}
