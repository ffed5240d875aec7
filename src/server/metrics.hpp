// What GET /metrics shows, in the Prometheus text format: counters and
// histograms the server records as it works, plus figures read from the
// database at scrape time (DatabaseFigures).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/database_figures.hpp"
#include "storage/reports.hpp"
#include "storage/retention.hpp"

// Counts of observations at or below each bound (seconds), cumulative on output.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Appends the _bucket, _sum and _count lines of `name` with `labels`
  // ("" or `route="/x"`).
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;  // per bound, not cumulative; last: above all
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

// Thread-safe. One per server.
class Metrics {
 public:
  Metrics();
  // `route` is the route's pattern ("/get_report/{id}"), never a raw path.
  void observe_request(const std::string& route, const std::string& method, int status,
                       double seconds);
  void observe_report(ReportStatus status, double seconds);
  void count_ingest(const std::string& dataset, std::size_t loaded, std::size_t duplicates,
                    std::size_t conflicts, std::size_t rejected);

  // One webhook request's outcome: "delivered", "retry" or "failed".
  void count_delivery(const std::string& outcome);
  // Rows retention deleted.
  void count_retention(const RetentionResult& deleted);

  std::string render(const DatabaseFigures& database) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> request_seconds_;  // by route
  std::map<ReportStatus, std::uint64_t> reports_finished_;
  Histogram report_seconds_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> ingest_rows_;  // dataset, outcome
  std::map<std::string, std::uint64_t> deliveries_;                           // by outcome
  RetentionResult retention_deleted_;                                         // summed
  double started_seconds_;
};

// A label value with \, " and newline escaped, in quotes.
std::string label_value(const std::string& value);
