// The reports table (report_store.hpp): statuses as an enum, and the rows
// (report_rows.hpp) kept beside the CSV that JSON answers are made from.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "storage/report_store.hpp"
#include "support.hpp"

using test::TempDir;

namespace {

StoreFigures figures(const std::string& id, std::int64_t base) {
  StoreFigures row;
  row.store_id = id;
  for (std::size_t w = 0; w < kWindowCount; ++w) {
    row.uptime[w] = HalfMicroseconds{base + static_cast<std::int64_t>(w)};
    row.downtime[w] = HalfMicroseconds{-base * 3 + static_cast<std::int64_t>(w)};
    row.unknown[w] = HalfMicroseconds{base * 5 + static_cast<std::int64_t>(w)};
  }
  return row;
}

// Completes report `id` as the server does: its rows appended (a chunk at a
// time when there are several), its CSV from a temporary file.
void complete(SqliteReports& store, const std::string& id, const Report& report,
              const std::string& folder) {
  std::visit(
      [&](const auto& rows) {
        using Rows = std::decay_t<decltype(rows)>;
        for (std::size_t i = 0; i < rows.size(); i += 2) {
          store.append_rows(
              id, Rows(rows.begin() + static_cast<std::ptrdiff_t>(i),
                       rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + 2))));
        }
      },
      report.rows);
  TempFile csv(folder, "a test");
  const std::string text = report_csv(report);
  csv.append(text.data(), text.size());
  ReportSummary summary;
  summary.as_of = report.as_of;
  summary.rules = report.rules;
  summary.period = report.period;
  summary.stores_reported = report.stores_reported();
  summary.stores_without_data = report.stores_without_data;
  store.complete(id, test::at("2023-01-25 18:02:00"), summary, csv);
}

}  // namespace

TEST_CASE("report statuses: text only at the edges, both ways", "[report_store]") {
  for (ReportStatus status : {ReportStatus::queued, ReportStatus::running, ReportStatus::complete,
                              ReportStatus::failed}) {
    CHECK(parse_report_status(report_status_name(status)) == status);
  }
  CHECK(std::string(report_status_name(ReportStatus::complete)) == "Complete");
  CHECK_FALSE(parse_report_status("complete"));
}

// Completes report `id` with `report` and reads its rows back.
static ReportRows stored_and_read(SqliteReports& store, const std::string& id, const Report& report,
                                  const TempDir& dir) {
  ReportOptions options;
  options.period = report.period;
  store.insert(id, options, test::at("2023-01-25 18:01:00"));
  complete(store, id, report, dir.path().string());
  const auto state = store.find(id, ReportPart::rows);
  REQUIRE(state);
  REQUIRE(state->rows);
  return *state->rows;
}

TEST_CASE("rows round-trip exactly through their table, odd ids and the status at now included",
          "[report_store]") {
  TempDir dir;
  SqliteReports store(dir.file("u.db"));
  std::vector<StoreFigures> rows = {figures("say \"hi\"", 1234567890123), figures("a,b", 1),
                                    figures(std::string(64, 'x'), 0)};
  rows[0].now = NowStatus{StoreState::down, FineInstant{HalfMicroseconds{123}}, true, {}};
  rows[1].now = NowStatus{StoreState::closed, FineInstant{HalfMicroseconds{-5}}, false,
                          FineInstant{HalfMicroseconds{77}}};
  rows[2].now = NowStatus{StoreState::unknown, FineInstant{HalfMicroseconds{9}}, false, {}};
  Report report;
  report.rows = rows;
  const ReportRows read = stored_and_read(store, "r", report, dir);
  const auto& back = std::get<std::vector<StoreFigures>>(read);
  REQUIRE(back.size() == rows.size());
  std::sort(rows.begin(), rows.end(),
            [](const StoreFigures& a, const StoreFigures& b) { return a.store_id < b.store_id; });
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].store_id);
    CHECK(back[i].store_id == rows[i].store_id);  // in store_id order, bytewise
    CHECK(back[i].uptime == rows[i].uptime);
    CHECK(back[i].downtime == rows[i].downtime);
    CHECK(back[i].unknown == rows[i].unknown);
    CHECK(back[i].now.state == rows[i].now.state);
    CHECK(back[i].now.since == rows[i].now.since);
    CHECK(back[i].now.since_week_start == rows[i].now.since_week_start);
    CHECK(back[i].now.opens == rows[i].now.opens);
  }
  // A report of no stores has rows: none.
  CHECK(row_count(stored_and_read(store, "empty", Report{}, dir)) == 0);
}

TEST_CASE("a chunk of hundreds of rows is written whole and in order, windows and periods",
          "[report_store]") {
  // Rows go many to a statement, the rest one by one: 200 and 3 make both.
  TempDir dir;
  SqliteReports store(dir.file("u.db"));
  std::vector<StoreFigures> windows;
  std::vector<PeriodFigures> periods;
  for (int i = 0; i < 203; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "s%03d", i);
    windows.push_back(figures(id, i));
    PeriodFigures period;
    period.store_id = id;
    period.period = {FineInstant{HalfMicroseconds{i}}, FineInstant{HalfMicroseconds{i + 1000}}};
    period.business = HalfMicroseconds{i * 2};
    period.uptime = HalfMicroseconds{i};
    periods.push_back(period);
  }
  ReportOptions options;
  store.insert("w", options, test::at("2023-01-25 18:01:00"));
  store.append_rows("w", windows);
  options.period = UtcPeriod{test::at("2023-01-20 00:00:00"), test::at("2023-01-21 00:00:00")};
  store.insert("p", options, test::at("2023-01-25 18:02:00"));
  store.append_rows("p", periods);
  TempFile csv(dir.path().string(), "a test");
  for (const char* id : {"w", "p"}) {
    ReportSummary summary;
    summary.period = std::string(id) == "p" ? options.period : std::nullopt;
    summary.stores_reported = 203;
    store.complete(id, test::at("2023-01-25 18:03:00"), summary, csv);
  }
  const auto window_back =
      std::get<std::vector<StoreFigures>>(*store.find("w", ReportPart::rows)->rows);
  const auto period_back =
      std::get<std::vector<PeriodFigures>>(*store.find("p", ReportPart::rows)->rows);
  REQUIRE(window_back.size() == windows.size());
  REQUIRE(period_back.size() == periods.size());
  for (std::size_t i = 0; i < windows.size(); ++i) {
    INFO(windows[i].store_id);
    CHECK(window_back[i].store_id == windows[i].store_id);
    CHECK(window_back[i].uptime == windows[i].uptime);
    CHECK(window_back[i].unknown == windows[i].unknown);
    CHECK(period_back[i].store_id == periods[i].store_id);
    CHECK(period_back[i].period == periods[i].period);
    CHECK(period_back[i].business == periods[i].business);
    CHECK(period_back[i].uptime == periods[i].uptime);
  }
}

TEST_CASE("a report's rows go when the report goes", "[report_store]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  SqliteReports store(path);
  Report report;
  report.rows = std::vector<StoreFigures>{figures("a", 1), figures("b", 2)};
  stored_and_read(store, "r", report, dir);
  Database db(path);
  CHECK(db.sql().execAndGet("SELECT count(*) FROM report_window_rows").getInt() == 2);
  db.sql().exec("DELETE FROM reports WHERE id = 'r'");
  CHECK(db.sql().execAndGet("SELECT count(*) FROM report_window_rows").getInt() == 0);
}

TEST_CASE("a complete report keeps its CSV and its typed rows", "[report_store]") {
  TempDir dir;
  SqliteReports store(dir.file("u.db"));
  Report report;
  report.as_of = test::at("2023-01-25 18:00:00");
  report.rows = std::vector<StoreFigures>{figures("s1", 7200000000)};
  store.insert("r1", ReportOptions{}, test::at("2023-01-25 18:01:00"));
  complete(store, "r1", report, dir.path().string());
  const auto with_rows = store.find("r1", ReportPart::rows);
  REQUIRE(with_rows);
  CHECK(with_rows->status == ReportStatus::complete);
  CHECK_FALSE(with_rows->csv);
  REQUIRE(with_rows->rows);
  CHECK(std::get<std::vector<StoreFigures>>(*with_rows->rows).at(0).uptime ==
        std::get<std::vector<StoreFigures>>(report.rows).at(0).uptime);
  CHECK(store.find("r1", ReportPart::csv)->csv == report_csv(report));
  CHECK_FALSE(store.find("r1", ReportPart::summary)->rows);
  CHECK_FALSE(store.find("r2", ReportPart::summary));
}

TEST_CASE("a report keeps the max_gap it was asked for", "[report_store]") {
  TempDir dir;
  SqliteReports store(dir.file("u.db"));
  ReportOptions options;
  options.rules = StatusRules{Interpolation::previous, std::chrono::minutes{90}};
  store.insert("gap", options, test::at("2023-01-25 18:01:00"));
  store.insert("plain", ReportOptions{}, test::at("2023-01-25 18:02:00"));
  const auto gap = store.find("gap", ReportPart::summary);
  CHECK(gap->rules.interpolation == Interpolation::previous);
  CHECK(gap->rules.max_gap == std::chrono::minutes{90});
  CHECK_FALSE(store.find("plain", ReportPart::summary)->rules.max_gap);
  const auto listed = store.list(10, std::nullopt);
  REQUIRE(listed.size() == 2);
  CHECK_FALSE(listed[0].rules.max_gap);
  CHECK(listed[1].rules.max_gap == std::chrono::seconds{5400});
}

TEST_CASE("a period report keeps its period and its typed period rows", "[report_store]") {
  TempDir dir;
  SqliteReports store(dir.file("u.db"));
  PeriodFigures row;
  row.store_id = "a,b";
  row.period = {FineInstant{test::at("2023-01-24 05:00:00")},
                FineInstant{test::at("2023-01-25 05:00:00")}};
  row.business = HalfMicroseconds{7};
  row.uptime = HalfMicroseconds{3};
  row.downtime = HalfMicroseconds{2};
  row.unknown = HalfMicroseconds{2};
  Report report;
  report.as_of = test::at("2023-01-25 18:00:00");
  report.period = DatePeriod{date::local_days{date::year{2023} / 1 / 24},
                             date::local_days{date::year{2023} / 1 / 24}};
  report.rows = std::vector<PeriodFigures>{row};
  const ReportRows rows = stored_and_read(store, "p", report, dir);
  const auto state = store.find("p", ReportPart::summary);
  REQUIRE(state->period);
  CHECK(std::get<DatePeriod>(*state->period).from == std::get<DatePeriod>(*report.period).from);
  CHECK(state->stores_reported == 1);
  const PeriodFigures& back = std::get<std::vector<PeriodFigures>>(rows).at(0);
  CHECK(back.store_id == "a,b");
  CHECK(back.period == row.period);
  CHECK(back.business == row.business);
  CHECK(back.uptime == row.uptime);
  CHECK(back.downtime == row.downtime);
  CHECK(back.unknown == row.unknown);

  ReportOptions options;
  options.period = UtcPeriod{test::at("2023-01-20 00:00:00"), test::at("2023-01-21 00:00:00")};
  store.insert("u", options, test::at("2023-01-25 18:03:00"));
  const auto utc = store.find("u", ReportPart::summary);
  REQUIRE(utc->period);
  CHECK(std::get<UtcPeriod>(*utc->period).to == test::at("2023-01-21 00:00:00"));
}

TEST_CASE("a database made by 4362a15 (schema 3) opens; its report keeps its CSV, not rows",
          "[report_store][upgrade]") {
  // fixtures/upgrade/schema3-4362a15.sql: `sqlite3 .dump` of the database that
  // version made of 3 generated stores, with one report triggered and done.
  TempDir dir;
  std::ifstream dump(test::fixtures() + "/upgrade/schema3-4362a15.sql");
  std::stringstream text;
  text << dump.rdbuf();
  {
    SQLite::Database old(dir.file("old.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec(text.str());
    REQUIRE(old.execAndGet("PRAGMA user_version").getInt() == 3);
  }
  SqliteReports store(dir.file("old.db"));  // migrates
  const auto reports = store.list(10, std::nullopt);
  REQUIRE(reports.size() == 1);
  const auto report = store.find(reports[0].id, ReportPart::rows);
  REQUIRE(report);
  CHECK(report->status == ReportStatus::complete);
  CHECK(report->stores_reported == 3);
  // Its figures were never stored as rows (sql/013_report_rows.sql): unset,
  // so an answer says so rather than showing an empty report.
  CHECK_FALSE(report->rows);
  const auto csv = store.find(reports[0].id, ReportPart::csv);
  REQUIRE(csv->csv);
  CHECK(csv->csv->find("5153706603835915733,38.45,4.60,54.33,0.00,3.90,5.17") != std::string::npos);
}

TEST_CASE("a report's CSV of many pieces is stored whole; a failed report keeps no rows",
          "[report_store]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  SqliteReports store(path);
  Report report;
  std::vector<StoreFigures> rows;
  // About 2.5 MB of CSV: the blob is written in pieces of 1 MiB.
  for (int i = 0; i < 60000; ++i) rows.push_back(figures("store-" + std::to_string(i), i));
  report.rows = rows;
  store.insert("big", ReportOptions{}, test::at("2023-01-25 18:01:00"));
  complete(store, "big", report, dir.path().string());
  const std::string csv = report_csv(report);
  CHECK(csv.size() > (2u << 20));
  CHECK(store.find("big", ReportPart::csv)->csv == csv);

  // Rows appended, then the report fails: they go with the failure.
  Database db(path);
  const auto window_rows = [&] {
    return db.sql()
        .execAndGet("SELECT count(*) FROM report_window_rows WHERE report <> 'big'")
        .getInt();
  };
  store.insert("cut", ReportOptions{}, test::at("2023-01-25 18:03:00"));
  store.start("cut", test::at("2023-01-25 18:03:00"));
  store.append_rows("cut", std::vector<StoreFigures>{figures("a", 1)});
  CHECK(window_rows() == 1);
  store.fail("cut", test::at("2023-01-25 18:04:00"), "cancelled");
  CHECK(window_rows() == 0);
  // Likewise the rows of a report its process left running.
  store.insert("left", ReportOptions{}, test::at("2023-01-25 18:05:00"));
  store.start("left", test::at("2023-01-25 18:05:00"));
  store.append_rows("left", std::vector<StoreFigures>{figures("a", 1), figures("b", 2)});
  CHECK(window_rows() == 2);
  store.fail_unfinished(test::at("2023-01-25 18:06:00"), "interrupted by restart");
  CHECK(window_rows() == 0);
  CHECK(store.find("left", ReportPart::summary)->status == ReportStatus::failed);
  CHECK(db.sql().execAndGet("SELECT count(*) FROM report_window_rows").getInt() == 60000);
}
