// The reports table (report_store.hpp): statuses as an enum, and the typed
// rows kept beside the CSV that JSON answers are made from.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
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

}  // namespace

TEST_CASE("report statuses: text only at the edges, both ways", "[report_store]") {
  for (ReportStatus status : {ReportStatus::queued, ReportStatus::running, ReportStatus::complete,
                              ReportStatus::failed}) {
    CHECK(parse_report_status(report_status_name(status)) == status);
  }
  CHECK(std::string(report_status_name(ReportStatus::complete)) == "Complete");
  CHECK_FALSE(parse_report_status("complete"));
}

TEST_CASE("typed rows round-trip exactly, odd ids included", "[report_store]") {
  const std::vector<StoreFigures> rows = {figures("a,b", 1), figures("say \"hi\"", 1234567890123),
                                          figures(std::string(64, 'x'), 0)};
  const std::vector<StoreFigures> back = decode_report_rows(encode_report_rows(rows));
  REQUIRE(back.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(back[i].store_id == rows[i].store_id);
    CHECK(back[i].uptime == rows[i].uptime);
    CHECK(back[i].downtime == rows[i].downtime);
    CHECK(back[i].unknown == rows[i].unknown);
  }
  // The status at now, with and without an opening.
  std::vector<StoreFigures> with_now = rows;
  with_now[0].now = NowStatus{NowState::down, FineInstant{HalfMicroseconds{123}}, true, {}};
  with_now[1].now = NowStatus{NowState::closed, FineInstant{HalfMicroseconds{-5}}, false,
                              FineInstant{HalfMicroseconds{77}}};
  const auto now_back = decode_report_rows(encode_report_rows(with_now));
  CHECK(now_back[0].now->state == NowState::down);
  CHECK(now_back[0].now->since == FineInstant{HalfMicroseconds{123}});
  CHECK(now_back[0].now->since_week_start);
  CHECK_FALSE(now_back[0].now->opens);
  CHECK(now_back[1].now->state == NowState::closed);
  CHECK(now_back[1].now->opens == FineInstant{HalfMicroseconds{77}});
  CHECK_FALSE(now_back[1].now->since_week_start);
  CHECK(decode_report_rows(encode_report_rows({})).empty());
  CHECK_THROWS(decode_report_rows("nope"));
  CHECK_THROWS(decode_report_rows(encode_report_rows(rows).substr(0, 30)));
}

TEST_CASE("a complete report keeps its CSV and its typed rows", "[report_store]") {
  TempDir dir;
  ReportStore store(dir.file("u.db"));
  Report report;
  report.as_of = test::at("2023-01-25 18:00:00");
  report.rows = {figures("s1", 7200000000)};
  store.insert("r1", ReportOptions{}, test::at("2023-01-25 18:01:00"));
  store.complete("r1", test::at("2023-01-25 18:02:00"), report, report_csv(report));
  const auto with_rows = store.find("r1", ReportPart::rows);
  REQUIRE(with_rows);
  CHECK(with_rows->status == ReportStatus::complete);
  CHECK_FALSE(with_rows->csv);
  REQUIRE(with_rows->rows);
  CHECK(with_rows->rows->at(0).uptime == report.rows[0].uptime);
  CHECK(store.find("r1", ReportPart::csv)->csv == report_csv(report));
  CHECK_FALSE(store.find("r1", ReportPart::summary)->rows);
  CHECK_FALSE(store.find("r2", ReportPart::summary));
}

TEST_CASE("reports from before typed rows get them from their CSV once", "[report_store]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  {
    Database db(path);
    db.sql().exec(
        "INSERT INTO reports (id, status, interpolation, created_us, csv) VALUES ('old', "
        "'Complete', 'nearest', 1, CAST('store_id,uptime_last_hour,uptime_last_day,"
        "uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week\n"
        "\"a,b\",60.00,23.50,161.07,0.00,0.50,-0.01\n' AS BLOB))");
  }
  ReportStore store(path);
  const auto state = store.find("old", ReportPart::rows);
  REQUIRE(state->rows);
  const StoreFigures& row = state->rows->at(0);
  CHECK(row.store_id == "a,b");
  CHECK(format_figure(row.uptime[last_hour], last_hour) == "60.00");
  CHECK(format_figure(row.uptime[last_week], last_week) == "161.07");
  CHECK(format_figure(row.downtime[last_day], last_day) == "0.50");
  CHECK(format_figure(row.downtime[last_week], last_week) == "-0.01");
}

TEST_CASE("typed rows written before unknown time (UMR1) still read", "[report_store]") {
  // "UMR1", then per row: id length, id, uptime and downtime per window as
  // little-endian 64-bit half microseconds.
  std::string bytes = "UMR1";
  bytes += '\x01';
  bytes += 'a';
  for (std::int64_t value : {1, 2, 3, 4, 5, 6}) {
    for (int i = 0; i < 8; ++i) bytes += static_cast<char>((value >> (8 * i)) & 0xFF);
  }
  const auto rows = decode_report_rows(bytes);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].uptime[last_week] == HalfMicroseconds{3});
  CHECK(rows[0].downtime[last_hour] == HalfMicroseconds{4});
  CHECK(rows[0].unknown[last_week] == HalfMicroseconds{0});
  CHECK_THROWS(decode_report_rows(bytes.substr(0, bytes.size() - 1)));
}

TEST_CASE("a report keeps the max_gap it was asked for", "[report_store]") {
  TempDir dir;
  ReportStore store(dir.file("u.db"));
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
  ReportStore store(dir.file("u.db"));
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
  report.period_rows = {row};
  ReportOptions options;
  options.period = report.period;
  store.insert("p", options, test::at("2023-01-25 18:01:00"));
  store.complete("p", test::at("2023-01-25 18:02:00"), report, report_csv(report));
  const auto state = store.find("p", ReportPart::rows);
  REQUIRE(state->period);
  CHECK(std::get<DatePeriod>(*state->period).from == std::get<DatePeriod>(*report.period).from);
  CHECK(state->stores_reported == 1);
  CHECK_FALSE(state->rows);
  REQUIRE(state->period_rows);
  const PeriodFigures& back = state->period_rows->at(0);
  CHECK(back.store_id == "a,b");
  CHECK(back.period == row.period);
  CHECK(back.business == row.business);
  CHECK(back.uptime == row.uptime);
  CHECK(back.downtime == row.downtime);
  CHECK(back.unknown == row.unknown);

  options.period = UtcPeriod{test::at("2023-01-20 00:00:00"), test::at("2023-01-21 00:00:00")};
  store.insert("u", options, test::at("2023-01-25 18:03:00"));
  const auto utc = store.find("u", ReportPart::summary);
  REQUIRE(utc->period);
  CHECK(std::get<UtcPeriod>(*utc->period).to == test::at("2023-01-21 00:00:00"));
  CHECK_THROWS(decode_period_rows(encode_period_rows({row}).substr(0, 20)));
}

TEST_CASE("rows without a status at now read back as unknown, never as a made-up one",
          "[report_store]") {
  std::vector<StoreFigures> rows = {figures("kept", 1), figures("never had one", 2)};
  rows[0].now = NowStatus{NowState::closed, FineInstant{HalfMicroseconds{-5}}, false, {}};
  const auto back = decode_report_rows(encode_report_rows(rows));
  REQUIRE(back[0].now);
  CHECK(back[0].now->state == NowState::closed);
  CHECK_FALSE(back[1].now);
}

TEST_CASE("a database made by 4362a15 (schema 3) opens with its report's rows, now unknown",
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
  ReportStore store(dir.file("old.db"));  // migrates, and reads the old CSV into rows
  const auto reports = store.list(10, std::nullopt);
  REQUIRE(reports.size() == 1);
  const auto report = store.find(reports[0].id, ReportPart::rows);
  REQUIRE(report);
  REQUIRE(report->rows);
  REQUIRE(report->rows->size() == 3);
  for (const StoreFigures& row : *report->rows) {
    INFO(row.store_id);
    CHECK_FALSE(row.now);
  }
  // The figures are the CSV's: 5153706603835915733,38.45,4.60,54.33,0.00,3.90,5.17
  const StoreFigures& first = report->rows->front();
  CHECK(first.store_id == "5153706603835915733");
  CHECK(first.uptime[last_hour] == HalfMicroseconds{std::chrono::seconds{60}} * 3845 / 100);
  CHECK(first.downtime[last_week] == HalfMicroseconds{std::chrono::hours{1}} * 517 / 100);
}
