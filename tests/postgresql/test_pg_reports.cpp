// Triggered reports on PostgreSQL (storage/postgresql/pg_reports.hpp) as on
// SQLite (storage/report_store.hpp): the same sequence through the Reports
// interface writes down the same outcomes on both; the server's report queue
// runs a report on either and gets the same CSV.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "postgresql/fresh_database.hpp"
#include "server/report_jobs.hpp"
#include "storage/postgresql/pg_reports.hpp"
#include "storage/report_store.hpp"
#include "storage/store_engine.hpp"
#include "support.hpp"

using test::FreshDatabase;
using test::TempDir;

namespace {

const std::string kNames =
    "store_id,name\nb\\slash,Pizza Palace\ncafé,Café du Coin\nplain,Taco Town\n";

void load_names(const std::string& db) {
  std::istringstream in(kNames);
  const ImportSummary summary =
      open_store_engine(db)->ingest_csv(Dataset::stores, "stores.csv", in, {}, IngestRules{});
  REQUIRE(summary.error.empty());
}

// Window rows with odd ids (COPY's escapes, UTF-8), every state, an opening
// and none; figures that sort differently by each column.
std::vector<StoreFigures> window_rows() {
  const std::vector<std::string> ids = {"a\ttab", "b\\slash", "café", "plain", "z\"quote"};
  std::vector<StoreFigures> rows;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    StoreFigures row;
    row.store_id = ids[i];
    const auto n = static_cast<std::int64_t>(i);
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      const auto k = static_cast<std::int64_t>(w);
      row.uptime[w] = HalfMicroseconds{(n * 7 + k) % 5 * 1000};
      row.downtime[w] = HalfMicroseconds{(4 - n) * 300 + k};
      row.unknown[w] = HalfMicroseconds{n % 2 * 50 + k};
    }
    const StoreState states[] = {StoreState::up, StoreState::down, StoreState::unknown,
                                 StoreState::closed, StoreState::up};
    row.now.state = states[i];
    row.now.since = test::fine("2023-01-25 10:00:00") + HalfMicroseconds{(n * 3) % 5};
    row.now.since_week_start = i == 1;
    if (row.now.state == StoreState::closed) row.now.opens = test::fine("2023-01-26 09:00:00");
    rows.push_back(row);
  }
  return rows;
}

std::vector<PeriodFigures> period_rows() {
  std::vector<PeriodFigures> rows;
  for (const auto& [id, up, down] : std::vector<std::tuple<std::string, int, int>>{
           {"plain", 30, 10}, {"café", 0, 0}, {"b\\slash", 5, 45}}) {
    PeriodFigures row;
    row.store_id = id;
    row.period = {test::fine("2023-01-20 00:00:00"), test::fine("2023-01-25 00:00:00")};
    row.business = HalfMicroseconds{100};
    row.uptime = HalfMicroseconds{up};
    row.downtime = HalfMicroseconds{down};
    row.unknown = HalfMicroseconds{100 - up - down};
    rows.push_back(row);
  }
  return rows;
}

// Every field of every row, exactly (the CSV rounds and leaves out the
// status now).
std::string text(const ReportRows& rows) {
  std::ostringstream out;
  const auto count = [](FineInstant instant) { return instant.time_since_epoch().count(); };
  if (const auto* periods = std::get_if<std::vector<PeriodFigures>>(&rows)) {
    for (const PeriodFigures& row : *periods) {
      out << row.store_id << " " << count(row.period.begin) << "-" << count(row.period.end) << " "
          << row.business.count() << " " << row.uptime.count() << " " << row.downtime.count() << " "
          << row.unknown.count() << "\n";
    }
    return out.str();
  }
  for (const StoreFigures& row : std::get<std::vector<StoreFigures>>(rows)) {
    out << row.store_id;
    for (const auto* lengths : {&row.uptime, &row.downtime, &row.unknown}) {
      for (HalfMicroseconds figure : *lengths) out << " " << figure.count();
    }
    out << " " << store_state_name(row.now.state) << " " << count(row.now.since) << " "
        << row.now.since_week_start << " " << (row.now.opens ? count(*row.now.opens) : -1) << "\n";
  }
  return out.str();
}

void write_state(std::ostream& out, const ReportState& state) {
  out << state.id << " " << report_status_name(state.status) << " "
      << interpolation_name(state.rules.interpolation) << " gap "
      << (state.rules.max_gap ? state.rules.max_gap->count() : -1) << " standard " << state.standard
      << " created " << format_timestamp(state.created) << " started "
      << (state.started ? format_timestamp(*state.started) : "-") << " finished "
      << (state.finished ? format_timestamp(*state.finished) : "-") << " as_of "
      << (state.as_of ? format_timestamp(*state.as_of) : "-") << " requested "
      << (state.requested_as_of ? format_timestamp(*state.requested_as_of) : "-") << " stores "
      << state.stores_reported.value_or(-1) << "/" << state.stores_without_data.value_or(-1)
      << " period " << state.period.has_value() << " error [" << state.error << "] csv "
      << (state.csv ? *state.csv : "-") << " rows "
      << (state.rows ? text(*state.rows) : std::string("-")) << "\n";
}

void complete(Reports& reports, const std::string& id, const std::string& csv_text,
              const std::string& folder) {
  TempFile csv(folder, "a test");
  csv.append(csv_text.data(), csv_text.size());
  ReportSummary summary;
  summary.as_of = test::at("2023-01-25 12:00:00");
  summary.stores_reported = 5;
  summary.stores_without_data = 1;
  reports.complete(id, test::at("2023-01-25 18:02:00"), summary, csv);
}

// Every call of the interface, every outcome written down.
std::string exercise_reports(Reports& reports, const std::string& folder) {
  std::ostringstream out;
  const Instant created = test::at("2023-01-25 18:00:00");
  ReportOptions windows;
  windows.standard = true;
  windows.rules.max_gap = std::chrono::seconds{5400};
  ReportOptions utc_period;
  utc_period.period = UtcPeriod{test::at("2023-01-20 00:00:00"), test::at("2023-01-25 00:00:00")};
  utc_period.as_of = test::at("2023-01-25 06:00:00");
  ReportOptions dates;
  dates.period = DatePeriod{date::local_days{date::year{2023} / 1 / 20},
                            date::local_days{date::year{2023} / 1 / 24}};
  dates.rules.interpolation = Interpolation::previous;
  const std::vector<std::pair<std::string, ReportOptions>> made = {
      {"r1", windows}, {"r2", utc_period}, {"r3", dates}, {"r4", windows}};
  for (std::size_t i = 0; i < made.size(); ++i) {
    reports.insert(made[i].first, made[i].second, created + std::chrono::seconds{i});
  }
  for (const ReportState& state : reports.list(10, std::nullopt)) write_state(out, state);
  out << "newest standard " << reports.newest_standard().value_or("none") << "\n";

  // r1: window rows in two chunks, then complete with a CSV of every byte
  // that needs care (a backslash, a newline, a NUL, high bytes).
  reports.start("r1", created + std::chrono::seconds{10});
  const std::vector<StoreFigures> windows_rows = window_rows();
  reports.append_rows("r1",
                      std::vector<StoreFigures>(windows_rows.begin(), windows_rows.begin() + 2));
  reports.append_rows("r1",
                      std::vector<StoreFigures>(windows_rows.begin() + 2, windows_rows.end()));
  std::string csv = "store_id,x\nb\\slash,1\n";
  csv += std::string("\0\x01\xff\xfe", 4);
  complete(reports, "r1", csv, folder);
  // r2: period rows, complete.
  reports.start("r2", created + std::chrono::seconds{11});
  reports.append_rows("r2", period_rows());
  complete(reports, "r2", "period csv\n", folder);
  // r3 fails after appending: its rows go; r4 is left running and failed as
  // a restart fails it.
  reports.start("r3", created + std::chrono::seconds{12});
  reports.append_rows("r3", period_rows());
  reports.fail("r3", created + std::chrono::seconds{13}, "it broke: \"quoted\"\nline two");
  reports.start("r4", created + std::chrono::seconds{14});
  reports.append_rows("r4", window_rows());
  reports.fail_unfinished(created + std::chrono::seconds{15}, "interrupted by restart");
  out << "rows of r3 " << row_count(reports.rows("r3", true)) << ", of r4 "
      << row_count(reports.rows("r4", false)) << "\n";

  for (const char* id : {"r1", "r2", "r3", "r4"}) {
    for (const ReportPart part : {ReportPart::summary, ReportPart::csv, ReportPart::rows}) {
      write_state(out, *reports.find(id, part));
    }
  }
  out << "unknown " << reports.find("none", ReportPart::rows).has_value() << "\n";
  out << "newest standard " << reports.newest_standard().value_or("none") << "\n";
  for (const ReportState& state : reports.list(2, std::nullopt))
    out << "first two " << state.id << "\n";
  for (const ReportState& state : reports.list(10, created + std::chrono::seconds{2})) {
    out << "before r3 " << state.id << "\n";
  }

  // Pages: every sort both ways, a filter by id or name, an owner's stores.
  for (const bool period : {false, true}) {
    const std::string id = period ? "r2" : "r1";
    for (const char* sort : report_sort_names(period)) {
      for (const bool descending : {false, true}) {
        ReportRowsQuery query;
        query.sort = sort;
        query.descending = descending;
        query.limit = 3;
        query.offset = 1;
        const ReportRowsPage page = reports.rows_page(id, period, query);
        out << id << " " << sort << (descending ? " desc" : " asc") << " total " << page.total
            << ":\n"
            << text(page.rows);
      }
    }
    ReportRowsQuery query;
    query.contains = "Pizza";
    out << id << " contains Pizza:\n" << text(reports.rows_page(id, period, query).rows);
    query.contains = "é";
    out << id << " contains é:\n" << text(reports.rows_page(id, period, query).rows);
    query.contains.clear();
    query.only = true;
    query.only_json = R"(["plain", "a\ttab", "elsewhere"])";
    const ReportRowsPage owned = reports.rows_page(id, period, query);
    out << id << " owner total " << owned.total << ":\n" << text(owned.rows);
  }
  ReportRowsQuery unknown_sort;
  unknown_sort.sort = "uptime_percent";
  try {
    reports.rows_page("r1", false, unknown_sort);
  } catch (const std::invalid_argument& error) {
    out << "refused: " << error.what() << "\n";
  }
  reports.rows_in_chunks("r1", false, 2, [&](ReportRows&& chunk) {
    out << "chunk of " << row_count(chunk) << ":\n" << text(chunk);
  });
  reports.rows_in_chunks("r3", true, 2, [&](ReportRows&&) { out << "a chunk of nothing\n"; });
  return out.str();
}

}  // namespace

TEST_CASE("PostgreSQL: reports as SQLite keeps them", "[postgresql]") {
  TempDir dir;
  const std::string sqlite = dir.file("u.db");
  load_names(sqlite);
  SqliteReports sqlite_reports(sqlite);
  const std::string expected = exercise_reports(sqlite_reports, dir.path().string());
  // Checked on its own, so that both engines cannot be wrong alike.
  CHECK_THAT(expected, Catch::StartsWith("r4 Queued"));
  CHECK_THAT(expected, Catch::Contains("newest standard none\n"));
  CHECK_THAT(expected, Catch::Contains("rows of r3 0, of r4 0\n"));
  CHECK_THAT(expected, Catch::Contains("newest standard r1\nfirst two r4\nfirst two r3\n"
                                       "before r3 r2\nbefore r3 r1\n"));
  CHECK_THAT(expected, Catch::Contains("r1 contains Pizza:\nb\\slash 2000 3000 4000 900 901 902 "
                                       "50 51 52 down "));
  CHECK_THAT(expected, Catch::Contains("r2 owner total 1:\n"));
  CHECK_THAT(expected, Catch::Contains("refused: unknown sort column 'uptime_percent'\n"));
  CHECK_THAT(expected, Catch::EndsWith("chunk of 1:\n" +
                                       text(std::vector<StoreFigures>{window_rows().back()})));

  FreshDatabase database("engine_reports");
  load_names(database.url());
  PgReports postgresql_reports(database.url());
  CHECK(exercise_reports(postgresql_reports, dir.path().string()) == expected);
}

namespace {

// A report run by the server's queue on `db`, waited for; its CSV.
std::string queued_report(const std::string& db, const ReportOptions& options) {
  ReportJobs jobs(db, 2, 4);
  const auto id = jobs.submit(options);
  REQUIRE(id);
  // Waits for the condition, not for a time: the worker ends every report.
  for (;;) {
    const auto state = jobs.find(*id, ReportPart::csv);
    REQUIRE(state);
    if (state->status == ReportStatus::failed) FAIL("the report failed: " << state->error);
    if (state->status == ReportStatus::complete) {
      std::size_t chunks = 0;
      jobs.reports().rows_in_chunks(*id, options.period.has_value(), 1,
                                    [&](ReportRows&&) { ++chunks; });
      CHECK(static_cast<std::int64_t>(chunks) == state->stores_reported.value_or(-1));
      return *state->csv;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

void load_fixture(const std::string& db, Dataset dataset, const char* file) {
  std::ifstream in(std::string(FIXTURES_DIR) + "/demo/" + file);
  REQUIRE(in);
  const ImportSummary summary =
      open_store_engine(db)->ingest_csv(dataset, file, in, {}, IngestRules{});
  REQUIRE(summary.error.empty());
}

}  // namespace

TEST_CASE("PostgreSQL: the server's report queue runs a report as on SQLite", "[postgresql]") {
  TempDir dir;
  FreshDatabase database("engine_report_jobs");
  const std::vector<std::string> dbs = {dir.file("u.db"), database.url()};
  for (const std::string& db : dbs) {
    load_fixture(db, Dataset::zones, "timezones.csv");
    load_fixture(db, Dataset::hours, "menu_hours.csv");
    load_fixture(db, Dataset::special_hours, "special_hours.csv");
    load_fixture(db, Dataset::polls, "store_status.csv");
  }
  ReportOptions standard;
  standard.standard = true;
  standard.rules.max_gap = std::chrono::seconds{7200};
  const std::string csv = queued_report(dbs[0], standard);
  CHECK_THAT(csv, Catch::StartsWith("store_id,"));
  CHECK(queued_report(dbs[1], standard) == csv);
  ReportOptions period;
  period.period = DatePeriod{date::local_days{date::year{2023} / 1 / 20},
                             date::local_days{date::year{2023} / 1 / 24}};
  CHECK(queued_report(dbs[1], period) == queued_report(dbs[0], period));
}
