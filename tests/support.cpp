#include "support.hpp"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <random>

namespace test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("uptime-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& name, const std::string& content) const {
  std::ofstream out(path_ / name, std::ios::binary);
  out << content;
}

Instant at(const std::string& text) {
  auto instant = parse_timestamp(text);
  INFO("timestamp " << text);
  REQUIRE(instant.has_value());
  return *instant;
}

std::chrono::seconds tod(const std::string& text) {
  auto seconds = parse_time_of_day(text);
  INFO("time of day " << text);
  REQUIRE(seconds.has_value());
  return *seconds;
}

ImportSummary import_text(Database& db, Dataset dataset, const std::string& csv,
                          const std::string& source) {
  std::istringstream in(csv);
  return ingest_csv(db, dataset, source, in);
}

void ingest_live_polls(Database& db, const std::string& rows, const std::string& clock) {
  IngestRules rules;
  rules.alerts = AlertRules{};
  rules.clock = at(clock);
  std::istringstream csv("store_id,status,timestamp_utc\n" + rows);
  REQUIRE(ingest_csv(db, Dataset::polls, "body", csv, {}, rules).ok());
}

std::vector<WeeklyHoursRow> every_day(const std::string& start, const std::string& end) {
  std::vector<WeeklyHoursRow> rows;
  for (int day = 0; day < 7; ++day) rows.push_back({day, tod(start), tod(end)});
  return rows;
}

std::vector<Poll> hourly_polls(const std::string& first, const std::string& last,
                               const std::vector<std::string>& down) {
  std::vector<Poll> polls;
  for (Instant t = at(first); t <= at(last); t += std::chrono::hours{1}) {
    bool active = true;
    for (const auto& text : down) active = active && at(text) != t;
    polls.push_back({t, active});
  }
  return polls;
}

std::string report_csv(StoreEngine& engine, const ReportOptions& options) {
  const bool with_unknown = options.rules.max_gap.has_value();
  std::string csv = report_csv_header(options.period.has_value(), with_unknown);
  engine.stream_report(
      options, [&](ReportRows&& rows) { append_csv_lines(csv, rows, with_unknown); }, nullptr);
  return csv;
}

ImportSummary load_csv(StoreEngine& engine, Dataset dataset, const std::string& csv) {
  std::istringstream in(csv);
  return engine.ingest_csv(dataset, "input.csv", in, {}, IngestRules{});
}

}  // namespace test
