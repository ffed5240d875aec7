// Helpers shared by the tests: temporary folders and databases, fixtures,
// and building instants and hours from readable text.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/business_hours.hpp"
#include "core/report.hpp"
#include "storage/database.hpp"
#include "storage/database_figures.hpp"
#include "storage/ingest.hpp"
#include "storage/store_edits.hpp"
#include "storage/store_engine.hpp"
#include "core/timeline.hpp"
#include "core/timestamps.hpp"

namespace test {

// A fresh folder, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  void write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

inline std::string fixtures() { return FIXTURES_DIR; }

// "2023-03-12 10:00:00" -> Instant; fails the test on bad text.
Instant at(const std::string& text);

// Half-microsecond lengths from readable units.
inline HalfMicroseconds minutes(double m) {
  return HalfMicroseconds{static_cast<std::int64_t>(m * 60 * 2'000'000)};
}
inline HalfMicroseconds hours(double h) {
  return HalfMicroseconds{static_cast<std::int64_t>(h * 3600 * 2'000'000)};
}

// "09:00" -> seconds after midnight.
std::chrono::seconds tod(const std::string& text);

// at(text) as the core's finer instant.
inline FineInstant fine(const std::string& text) {
  return FineInstant{at(text)};
}

// The range the timeline tests look at: Monday 2023-01-23, [00:00, 24:00) UTC.
inline const FineInstant kMonday = Instant{date::sys_days{date::year{2023} / 1 / 23}};
inline const FineInstant kMondayEnd = kMonday + date::days{1};

// Polls every hour on the hour from `first` to `last` inclusive: active, but
// inactive at the instants in `down`.
std::vector<Poll> hourly_polls(const std::string& first, const std::string& last,
                               const std::vector<std::string>& down = {});

// The same weekly row on each of the seven days.
std::vector<WeeklyHoursRow> every_day(const std::string& start, const std::string& end);

// A zone of the system's tz database, by name.
inline const date::time_zone* zone(const char* name) {
  return date::locate_zone(name);
}
inline const date::time_zone* utc() {
  return zone("UTC");
}

// Imports CSV text as a data set and returns the summary.
// The single value a query gives (count(*), sum(...)).
inline std::int64_t scalar(Database& db, const std::string& query) {
  return db.sql().execAndGet(query).getInt64();
}

ImportSummary import_text(Database& db, Dataset dataset, const std::string& csv,
                          const std::string& source = "input.csv");

// Ingests poll rows (CSV without the header) as the server does, alerts on
// with the default rules and the clock at `clock`; fails the test unless
// the ingest succeeds.
void ingest_live_polls(Database& db, const std::string& rows, const std::string& clock);

// A report's rows of either kind (core/report.hpp ReportRows).
inline const std::vector<StoreFigures>& window_rows(const Report& report) {
  return std::get<std::vector<StoreFigures>>(report.rows);
}
inline std::vector<StoreFigures>& window_rows(Report& report) {
  return std::get<std::vector<StoreFigures>>(report.rows);
}
inline const std::vector<PeriodFigures>& period_rows(const Report& report) {
  return std::get<std::vector<PeriodFigures>>(report.rows);
}

// A report's CSV, as the report command writes it, through any engine.
std::string report_csv(StoreEngine& engine, const ReportOptions& options);

// Loads CSV text (header first) as `dataset` through any engine, with the
// default rules.
ImportSummary load_csv(StoreEngine& engine, Dataset dataset, const std::string& csv);

}  // namespace test
