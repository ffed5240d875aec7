#include "server/metrics.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <tuple>

#include "common/clock.hpp"

namespace {

// Request latencies: 1 ms to 10 s; report durations: 10 ms to 5 min.
const std::vector<double> kRequestBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                            0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kReportBounds = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const std::string& name, const std::string& labels, double value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += " " + number(value) + "\n";
}

}  // namespace

std::string label_value(const std::string& value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '\\') {
      quoted += "\\\\";
    } else if (c == '"') {
      quoted += "\\\"";
    } else if (c == '\n') {
      quoted += "\\n";
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  ++counts_[i];
  sum_ += value;
  ++count_;
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  const std::string prefix = labels.empty() ? "" : labels + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    sample(out, name + "_bucket", prefix + "le=" + label_value(number(bounds_[i])),
           static_cast<double>(cumulative));
  }
  sample(out, name + "_bucket", prefix + "le=\"+Inf\"", static_cast<double>(count_));
  sample(out, name + "_sum", labels, sum_);
  sample(out, name + "_count", labels, static_cast<double>(count_));
}

Metrics::Metrics()
    : report_seconds_(kReportBounds),
      started_seconds_(std::chrono::duration<double>(wall_clock_now().time_since_epoch()).count()) {
}

void Metrics::observe_request(const std::string& route, const std::string& method, int status,
                              double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, method, status}];
  request_seconds_.try_emplace(route, kRequestBounds).first->second.observe(seconds);
}

void Metrics::observe_report(ReportStatus status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++reports_finished_[status];
  if (status == ReportStatus::complete) report_seconds_.observe(seconds);
}

void Metrics::count_ingest(const std::string& dataset, std::size_t loaded, std::size_t duplicates,
                           std::size_t conflicts, std::size_t rejected) {
  std::lock_guard<std::mutex> lock(mutex_);
  ingest_rows_[{dataset, "loaded"}] += loaded;
  ingest_rows_[{dataset, "duplicate"}] += duplicates;
  ingest_rows_[{dataset, "conflict"}] += conflicts;
  ingest_rows_[{dataset, "rejected"}] += rejected;
}

void Metrics::count_delivery(const std::string& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++deliveries_[outcome];
}

void Metrics::count_retention(const RetentionResult& deleted) {
  std::lock_guard<std::mutex> lock(mutex_);
  retention_deleted_.reports_deleted += deleted.reports_deleted;
  retention_deleted_.polls_deleted += deleted.polls_deleted;
  retention_deleted_.alert_events_deleted += deleted.alert_events_deleted;
  retention_deleted_.deliveries_deleted += deleted.deliveries_deleted;
}

std::string Metrics::render(const DatabaseFigures& database) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;

  header(out, "uptime_monitor_build_info", "gauge", "The running version (value 1).");
  sample(out, "uptime_monitor_build_info", "version=" + label_value(UPTIME_VERSION), 1);
  header(out, "uptime_monitor_start_time_seconds", "gauge",
         "When the server started, Unix time in seconds.");
  sample(out, "uptime_monitor_start_time_seconds", "", started_seconds_);

  header(out, "uptime_monitor_http_requests_total", "counter",
         "HTTP requests answered, by route, method and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    sample(out, "uptime_monitor_http_requests_total",
           "route=" + label_value(route) + ",method=" + label_value(method) +
               ",status=" + label_value(std::to_string(status)),
           static_cast<double>(count));
  }
  header(out, "uptime_monitor_http_request_duration_seconds", "histogram",
         "Time from reading a request to its answer, by route.");
  for (const auto& [route, histogram] : request_seconds_) {
    histogram.render(out, "uptime_monitor_http_request_duration_seconds",
                     "route=" + label_value(route));
  }

  header(out, "uptime_monitor_reports", "gauge", "Reports in the database, by status.");
  for (ReportStatus status : {ReportStatus::queued, ReportStatus::running, ReportStatus::complete,
                              ReportStatus::failed}) {
    const auto found = database.reports_by_status.find(report_status_name(status));
    sample(out, "uptime_monitor_reports", "status=" + label_value(report_status_name(status)),
           found == database.reports_by_status.end() ? 0 : static_cast<double>(found->second));
  }
  header(out, "uptime_monitor_reports_finished_total", "counter",
         "Reports this process finished, by outcome.");
  for (ReportStatus status : {ReportStatus::complete, ReportStatus::failed}) {
    const auto found = reports_finished_.find(status);
    sample(out, "uptime_monitor_reports_finished_total",
           "status=" + label_value(report_status_name(status)),
           found == reports_finished_.end() ? 0 : static_cast<double>(found->second));
  }
  header(out, "uptime_monitor_report_duration_seconds", "histogram",
         "Time to compute a report, from start to Complete.");
  report_seconds_.render(out, "uptime_monitor_report_duration_seconds", "");
  if (database.last_report_stores) {
    header(out, "uptime_monitor_last_report_stores", "gauge",
           "Stores in the newest complete report.");
    sample(out, "uptime_monitor_last_report_stores", "",
           static_cast<double>(*database.last_report_stores));
  }
  if (database.last_report_as_of_seconds) {
    header(out, "uptime_monitor_last_report_as_of_timestamp_seconds", "gauge",
           "The as_of of the newest complete report, Unix time in seconds.");
    sample(out, "uptime_monitor_last_report_as_of_timestamp_seconds", "",
           *database.last_report_as_of_seconds);
  }

  header(out, "uptime_monitor_ingest_rows_total", "counter",
         "Rows this process ingested (API bodies and the first-start import), by data set "
         "and outcome.");
  for (const auto& [key, count] : ingest_rows_) {
    sample(out, "uptime_monitor_ingest_rows_total",
           "dataset=" + label_value(key.first) + ",outcome=" + label_value(key.second),
           static_cast<double>(count));
  }

  header(out, "uptime_monitor_alert_events_total", "counter",
         "Alert events raised since the database began (deleted ones included), by type.");
  for (AlertType alert : kAlertTypes) {
    const char* type = alert_type_name(alert);
    const auto found = database.alert_events_by_type.find(type);
    sample(out, "uptime_monitor_alert_events_total", "type=" + label_value(type),
           found == database.alert_events_by_type.end() ? 0 : static_cast<double>(found->second));
  }
  header(out, "uptime_monitor_webhook_deliveries_total", "counter",
         "Webhook requests this process made, by outcome: delivered (2xx), retry (failed, "
         "tried again later), failed (given up).");
  for (const char* outcome : {"delivered", "retry", "failed"}) {
    const auto found = deliveries_.find(outcome);
    sample(out, "uptime_monitor_webhook_deliveries_total", "outcome=" + label_value(outcome),
           found == deliveries_.end() ? 0 : static_cast<double>(found->second));
  }
  header(out, "uptime_monitor_webhook_outbox_depth", "gauge",
         "Webhook deliveries not yet delivered nor given up.");
  sample(out, "uptime_monitor_webhook_outbox_depth", "",
         static_cast<double>(database.outbox.pending));
  header(out, "uptime_monitor_webhook_oldest_undelivered_age_seconds", "gauge",
         "Age of the event of the oldest undelivered webhook delivery; 0 when none waits.");
  sample(
      out, "uptime_monitor_webhook_oldest_undelivered_age_seconds", "",
      database.outbox.oldest_raised
          ? std::chrono::duration<double>(wall_clock_now() - *database.outbox.oldest_raised).count()
          : 0.0);

  header(out, "uptime_monitor_alert_events_kept", "gauge",
         "Alert events in the database (older than --keep-alerts-days are deleted).");
  sample(out, "uptime_monitor_alert_events_kept", "",
         static_cast<double>(database.alert_events_kept));
  header(out, "uptime_monitor_webhook_deliveries_kept", "gauge",
         "Webhook deliveries in the database, pending or done.");
  sample(out, "uptime_monitor_webhook_deliveries_kept", "",
         static_cast<double>(database.deliveries_kept));
  header(out, "uptime_monitor_rollup_stores_out_of_date", "gauge",
         "Stores whose daily rollups wait for the background roll-up (docs/rollups.md).");
  sample(out, "uptime_monitor_rollup_stores_out_of_date", "",
         static_cast<double>(database.stores_to_roll_up));
  header(out, "uptime_monitor_retention_deleted_total", "counter",
         "Rows retention deleted in this process, by table.");
  for (const auto& [table, count] :
       {std::pair<const char*, std::size_t>{"reports", retention_deleted_.reports_deleted},
        {"polls", retention_deleted_.polls_deleted},
        {"alert_events", retention_deleted_.alert_events_deleted},
        {"webhook_deliveries", retention_deleted_.deliveries_deleted}}) {
    sample(out, "uptime_monitor_retention_deleted_total", "table=" + label_value(table),
           static_cast<double>(count));
  }

  header(out, "uptime_monitor_polls", "gauge", "Polls in the database.");
  sample(out, "uptime_monitor_polls", "", static_cast<double>(database.polls));
  header(out, "uptime_monitor_stores", "gauge", "Stores in the database.");
  sample(out, "uptime_monitor_stores", "", static_cast<double>(database.stores));
  header(out, "uptime_monitor_database_size_bytes", "gauge",
         "Size of the database file and its write-ahead log.");
  sample(out, "uptime_monitor_database_size_bytes", "",
         static_cast<double>(database.database_bytes));
  return out;
}
