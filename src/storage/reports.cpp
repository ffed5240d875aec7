#include "storage/reports.hpp"

#include <stdexcept>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_reports.hpp"
#include "storage/report_store.hpp"

const char* report_status_name(ReportStatus status) {
  switch (status) {
    case ReportStatus::queued:
      return "Queued";
    case ReportStatus::running:
      return "Running";
    case ReportStatus::complete:
      return "Complete";
    case ReportStatus::failed:
      return "Failed";
  }
  return "?";
}

std::optional<ReportStatus> parse_report_status(std::string_view name) {
  for (ReportStatus status : {ReportStatus::queued, ReportStatus::running, ReportStatus::complete,
                              ReportStatus::failed}) {
    if (name == report_status_name(status)) return status;
  }
  return std::nullopt;
}

namespace {

struct SortColumn {
  const char* name;    // as answers name it
  const char* column;  // of report_window_rows or report_period_rows, as `r`
};

const std::vector<SortColumn>& sort_columns(bool period) {
  static const std::vector<SortColumn> windows = {{"store_id", "r.store_id"},
                                                  {"uptime_last_hour", "r.uptime_hour"},
                                                  {"uptime_last_day", "r.uptime_day"},
                                                  {"uptime_last_week", "r.uptime_week"},
                                                  {"downtime_last_hour", "r.downtime_hour"},
                                                  {"downtime_last_day", "r.downtime_day"},
                                                  {"downtime_last_week", "r.downtime_week"},
                                                  {"unknown_last_hour", "r.unknown_hour"},
                                                  {"unknown_last_day", "r.unknown_day"},
                                                  {"unknown_last_week", "r.unknown_week"},
                                                  {"state", "r.now_state"},
                                                  {"since", "r.now_since"}};
  static const std::vector<SortColumn> periods = {
      {"store_id", "r.store_id"},     {"period_start", "r.period_begin"},
      {"period_end", "r.period_end"}, {"business_hours", "r.business"},
      {"uptime_hours", "r.uptime"},   {"downtime_hours", "r.downtime"},
      {"unknown_hours", "r.unknown"}, {"uptime_percent", nullptr}};
  return period ? periods : windows;
}

}  // namespace

const std::vector<const char*>& report_sort_names(bool period) {
  static const auto names = [](bool of_periods) {
    std::vector<const char*> listed;
    for (const SortColumn& column : sort_columns(of_periods)) listed.push_back(column.name);
    return listed;
  };
  static const std::vector<const char*> windows = names(false);
  static const std::vector<const char*> periods = names(true);
  return period ? periods : windows;
}

const char* report_sort_column(bool period, const std::string& name) {
  for (const SortColumn& column : sort_columns(period)) {
    if (name == column.name) return column.column;
  }
  throw std::invalid_argument("unknown sort column '" + name + "'");
}

std::unique_ptr<Reports> open_reports(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgReports>(db);
  return std::make_unique<SqliteReports>(db);
}

bool rows_belong_to(const ReportState& state, const ReportRows& rows) {
  return row_count(rows) > 0 || state.stores_reported.value_or(0) == 0;
}
