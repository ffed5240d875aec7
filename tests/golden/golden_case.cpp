// One golden case (fixtures/cases/<name>/): imports the folder's CSVs into a
// fresh database, rolls up its stores' days with the case's rules
// (docs/rollups.md), runs the report with the options of its meta.json, and
// compares with expected.csv as fixtures/cases/README.md says: same header
// and rows, figures within 0.01, period timestamps and empty percents exactly.
// Then the case's report when it reads rollups (the three windows, or a
// period of dates), and every local date of the data, answered from rollups,
// must equal the same answered from polls, byte for byte (and the windows'
// status now, store by store). CTest runs it once
// per folder, named after it, so adding a case is adding a folder. With a PostgreSQL URL
// (golden_case FOLDER URL), the case is also imported into a fresh database of that server
// (docs/postgresql.md) and rolled up there, and its report there (a period of dates read
// from PostgreSQL's rollups) must be the SQLite report, byte for byte.
// Usage: golden_case FOLDER [POSTGRESQL_URL]. Exit 0: equal; 1: different (each difference
// printed); 77: the case uses an option this build does not have (skipped, with the reason).
#include <SQLiteCpp/Statement.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../report_text.hpp"
#include "core/csv.hpp"
#include "core/records.hpp"
#include "storage/ingest.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_rollups.hpp"
#include "storage/report_builder.hpp"
#include "storage/rollups.hpp"
#include "storage/store_engine.hpp"

namespace fs = std::filesystem;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows read_csv(std::istream& in) {
  CsvReader reader(in);
  Rows rows;
  std::vector<std::string> fields;
  while (reader.next(fields)) rows.push_back(fields);
  return rows;
}

// The report options of meta.json; keys starting with '_' only describe the case.
ReportOptions options_of(const fs::path& meta_path) {
  std::ifstream in(meta_path);
  const auto meta = nlohmann::json::parse(in);
  ReportOptions options;
  std::optional<Instant> from, to;
  std::optional<date::local_days> from_date, to_date;
  const auto instant = [](const std::string& key, const std::string& text) {
    const auto parsed = parse_timestamp(text);
    if (!parsed) throw std::runtime_error("meta.json: bad " + key + " '" + text + "'");
    return *parsed;
  };
  const auto local_date = [](const std::string& key, const std::string& text) {
    const auto parsed = parse_local_date(text);
    if (!parsed) throw std::runtime_error("meta.json: bad " + key + " '" + text + "'");
    return *parsed;
  };
  for (const auto& [key, value] : meta.items()) {
    if (key.rfind('_', 0) == 0) continue;
    const std::string text = value.get<std::string>();
    if (key == "as_of") {
      options.as_of = instant(key, text);
    } else if (key == "from") {
      from = instant(key, text);
    } else if (key == "to") {
      to = instant(key, text);
    } else if (key == "from_date") {
      from_date = local_date(key, text);
    } else if (key == "to_date") {
      to_date = local_date(key, text);
    } else if (key == "interpolation") {
      const auto mode = parse_interpolation(text);
      if (!mode) throw std::runtime_error("meta.json: bad interpolation '" + text + "'");
      options.rules.interpolation = *mode;
    } else if (key == "max_gap") {
      options.rules.max_gap = parse_max_gap(text);
      if (!options.rules.max_gap) throw std::runtime_error("meta.json: bad max_gap '" + text + "'");
    } else {
      std::cout << "SKIPPED: the report option '" << key << "' is not supported yet\n";
      std::exit(77);
    }
  }
  const PeriodChoice period = choose_period(from, to, from_date, to_date);
  if (!period.problem.empty()) throw std::runtime_error("meta.json: " + period.problem);
  options.period = period.period;
  return options;
}

// Differences between the report and expected.csv, one line each.
std::vector<std::string> compare(const Rows& actual, const Rows& expected) {
  std::vector<std::string> differences;
  if (actual.empty() || expected.empty() || actual[0] != expected[0]) {
    differences.push_back("the headers differ");
    return differences;
  }
  if (actual.size() != expected.size()) {
    differences.push_back(std::to_string(actual.size() - 1) + " rows, expected " +
                          std::to_string(expected.size() - 1));
  }
  for (std::size_t row = 1; row < std::min(actual.size(), expected.size()); ++row) {
    const auto& got = actual[row];
    const auto& want = expected[row];
    if (got.size() != want.size() || got[0] != want[0]) {
      differences.push_back("row " + std::to_string(row) + ": store '" + got[0] + "', expected '" +
                            want[0] + "'");
      continue;
    }
    for (std::size_t column = 1; column < want.size(); ++column) {
      // Figures within 0.01; period timestamps and empty percents exactly.
      const bool figure = !want[column].empty() && want[column].find('T') == std::string::npos;
      const bool equal =
          figure ? !got[column].empty() &&
                       std::fabs(std::stod(got[column]) - std::stod(want[column])) <= 0.01 + 1e-9
                 : got[column] == want[column];
      if (!equal) {
        differences.push_back("store '" + want[0] + "' " + expected[0][column] + ": " +
                              got[column] + ", expected " + want[column]);
      }
    }
  }
  return differences;
}

// Every local date the data can touch: a day either side of its polls' UTC
// dates (no zone is a day away from UTC), at most a period's length.
std::optional<DatePeriod> dates_of_data(Database& db) {
  SQLite::Statement span(db.sql(), "SELECT min(at_us), max(at_us) FROM polls");
  if (!span.executeStep() || span.getColumn(0).isNull()) return std::nullopt;
  const auto utc_date = [](std::int64_t at_us) {
    return date::local_days{date::floor<date::days>(from_micros(at_us)).time_since_epoch()};
  };
  const date::local_days last = utc_date(span.getColumn(1).getInt64()) + date::days{1};
  const date::local_days first = std::max(utc_date(span.getColumn(0).getInt64()) - date::days{1},
                                          last - date::days{kMaxPeriodDays - 1});
  return DatePeriod{first, last};
}

// Empty when `options` answered from rollups equals the same answered from
// polls (the three windows with each store's status now).
std::string rollups_differ(const std::string& db_path, ReportOptions options) {
  const std::string from_rollups = test::report_text(build_report(db_path, options));
  options.read_rollups = false;
  if (from_rollups == test::report_text(build_report(db_path, options))) return "";
  if (!options.period) return "the three windows from rollups differ from the same from polls";
  const auto& dates = std::get<DatePeriod>(*options.period);
  return "the dates " + date::format("%F", dates.from) + " to " + date::format("%F", dates.to) +
         " answered from rollups differ from the same answered from polls";
}

// The case's report from a fresh PostgreSQL database on the server `url`
// names (dropped after), imported from the same folder.
std::string postgresql_report(const std::string& url, const std::string& name,
                              const fs::path& folder, const ReportOptions& options) {
  const std::string database = "golden_" + name;
  PgConnection admin(url);
  admin.exec("DROP DATABASE IF EXISTS \"" + database + "\"");
  admin.exec("CREATE DATABASE \"" + database + "\"");
  std::string csv;
  {
    const auto engine = open_store_engine(with_database(url, database));
    import_directory(
        [&](Dataset dataset, const std::string& source, std::istream& in,
            const Progress& progress) {
          return engine->ingest_csv(dataset, source, in, progress, IngestRules{});
        },
        folder.string());
    // Rolled up as on SQLite, so that a period of dates reads PostgreSQL's rollups.
    PgRollups rollups(with_database(url, database));
    roll_up_all(rollups, options.rules);
    // As the report command writes it: the header, then the rows as they come.
    const bool with_unknown = options.rules.max_gap.has_value();
    csv = report_csv_header(options.period.has_value(), with_unknown);
    engine->stream_report(
        options, [&](ReportRows&& rows) { append_csv_lines(csv, rows, with_unknown); }, nullptr);
  }
  admin.exec("DROP DATABASE \"" + database + "\"");
  return csv;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: golden_case FOLDER [POSTGRESQL_URL]\n";
    return 2;
  }
  const fs::path folder = argv[1];
  try {
    const ReportOptions options = options_of(folder / "meta.json");
    char scratch[] = "/tmp/golden-XXXXXX";
    const fs::path dir = mkdtemp(scratch);
    const std::string db_path = (dir / "golden.db").string();
    Rows actual;
    std::string sqlite_csv;
    std::vector<std::string> rollup_differences;
    {
      Database db(db_path);
      import_directory(db, folder.string());
      roll_up_all(db, options.rules);
      sqlite_csv = report_csv(build_report(db_path, options));
      std::istringstream text(sqlite_csv);
      actual = read_csv(text);
      // The reports that read rollups: the case's own when it is the three
      // windows or a period of dates, and every date of the data.
      std::vector<ReportOptions> reading_rollups;
      if (!options.period || std::holds_alternative<DatePeriod>(*options.period)) {
        reading_rollups.push_back(options);
      }
      if (const auto dates = dates_of_data(db)) {
        reading_rollups.push_back(options);
        reading_rollups.back().period = *dates;
      }
      for (const ReportOptions& report : reading_rollups) {
        const std::string difference = rollups_differ(db_path, report);
        if (!difference.empty()) rollup_differences.push_back(difference);
      }
    }
    fs::remove_all(dir);
    std::ifstream expected_file(folder / "expected.csv", std::ios::binary);
    auto differences = compare(actual, read_csv(expected_file));
    differences.insert(differences.end(), rollup_differences.begin(), rollup_differences.end());
    if (argc == 3 &&
        postgresql_report(argv[2], folder.filename().string(), folder, options) != sqlite_csv) {
      differences.push_back("the report from PostgreSQL differs from SQLite's");
    }
    for (const auto& line : differences)
      std::cout << folder.filename().string() << ": " << line << "\n";
    if (!differences.empty()) return 1;
    std::cout << folder.filename().string() << ": " << actual.size() - 1 << " rows as expected\n";
    return 0;
  } catch (const std::exception& error) {
    std::cout << folder.filename().string() << ": " << error.what() << "\n";
    return 1;
  }
}
