// The database side of a report: selection by SQL matches the pure
// computation over all polls, history older than the week changes nothing,
// and the workers read one snapshot.
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <thread>

#include "app/generator.hpp"
#include "storage/report_builder.hpp"
#include "support.hpp"

using test::at;
using test::TempDir;

namespace {

std::string report_text(const std::string& db_path, const ReportOptions& options) {
  return report_csv(build_report(db_path, options));
}

}  // namespace

TEST_CASE("default now is the latest poll, stores without polls are counted, not rows",
          "[report_builder]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  test::import_text(db, Dataset::polls,
                    "store_id,status,timestamp_utc\n"
                    "a,active,2023-01-22 12:00:00\n"
                    "b,inactive,2023-01-22 13:30:00\n");
  test::import_text(db, Dataset::zones, "store_id,timezone_str\nc,America/Denver\n");
  const Report report = build_report(dir.file("u.db"), {});
  CHECK(report.as_of == at("2023-01-22 13:30:00"));
  REQUIRE(test::window_rows(report).size() == 2);
  CHECK(report.stores_without_data == 1);
  CHECK(test::window_rows(report)[0].store_id == "a");
  // a: 24x7, active; now 13:30: the last hour all up.
  CHECK(format_figure(test::window_rows(report)[0].uptime[last_hour], last_hour) == "60.00");
}

TEST_CASE("as_of in the past ignores later polls and stores polled only later",
          "[report_builder]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  test::import_text(db, Dataset::polls,
                    "store_id,status,timestamp_utc\n"
                    "a,active,2023-01-22 12:00:00\n"
                    "a,inactive,2023-01-22 12:40:00\n"
                    "late,active,2023-01-22 14:00:00\n");
  ReportOptions options;
  options.as_of = at("2023-01-22 12:30:00");
  const Report report = build_report(dir.file("u.db"), options);
  REQUIRE(test::window_rows(report).size() == 1);
  CHECK(report.stores_without_data == 1);
  CHECK(format_figure(test::window_rows(report)[0].downtime[last_hour], last_hour) == "0.00");
}

TEST_CASE("rows come in store_id order as std::string sorts bytes, whatever order stores came in",
          "[report_builder]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // First seen (so keyed) in an order unlike the report's: upper and lower
  // case, prefixes, digits as text, a quoted comma, bytes above 0x7F (UTF-8).
  const std::vector<std::string> ids = {
      "b", "\xC3\xA9t\xC3\xA9", "B", "ab", "a", "10", "9", "a,b", "Z", "aa", "\xE2\x82\xAC"};
  std::string csv = "store_id,status,timestamp_utc\n";
  for (const std::string& id : ids) {
    csv += (id.find(',') == std::string::npos ? id : "\"" + id + "\"") +
           ",active,2023-01-22 12:00:00\n";
  }
  test::import_text(db, Dataset::polls, csv);
  test::import_text(db, Dataset::zones, "store_id,timezone_str\nonly_a_zone,America/Denver\n");
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  for (unsigned threads : {1u, 3u}) {
    ReportOptions options;
    options.threads = threads;
    const Report report = build_report(dir.file("u.db"), options);
    std::vector<std::string> order;
    for (const StoreFigures& row : test::window_rows(report)) order.push_back(row.store_id);
    CHECK(order == sorted);
    CHECK(report.stores_without_data == 1);

    options.period = DatePeriod{date::local_days{date::January / 21 / 2023},
                                date::local_days{date::January / 22 / 2023}};
    const Report period = build_report(dir.file("u.db"), options);
    std::vector<std::string> period_order;
    for (const PeriodFigures& row : test::period_rows(period)) period_order.push_back(row.store_id);
    CHECK(period_order == sorted);
    CHECK(std::holds_alternative<std::vector<PeriodFigures>>(period.rows));
  }
}

TEST_CASE("no polls and no as_of is an error", "[report_builder]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  CHECK_THROWS_WITH(build_report(dir.file("u.db"), {}), Catch::Contains("no polls"));
}

TEST_CASE("SQL selection gives the same rows as computing over every poll", "[report_builder]") {
  TempDir dir;
  generate_data_set({300, 20, 42, at("2023-03-20 18:00:00")}, dir.file("data"));
  Database db(dir.file("u.db"));
  import_directory(db, dir.file("data"));

  // Every poll, hours row, special date and zone of every store, straight from the tables.
  std::map<std::int64_t, StoreInput> stores;
  SQLite::Statement all_stores(db.sql(), "SELECT id, store_id, timezone FROM stores");
  while (all_stores.executeStep()) {
    StoreInput& store = stores[all_stores.getColumn(0).getInt64()];
    store.store_id = all_stores.getColumn(1).getString();
    if (!all_stores.getColumn(2).isNull()) {
      store.zone = date::locate_zone(all_stores.getColumn(2).getString());
    }
  }
  SQLite::Statement polls(db.sql(), "SELECT store, at_us, active FROM polls ORDER BY store, at_us");
  while (polls.executeStep()) {
    stores[polls.getColumn(0).getInt64()].polls.push_back(
        {from_micros(polls.getColumn(1).getInt64()), polls.getColumn(2).getInt() != 0});
  }
  SQLite::Statement hours(db.sql(), "SELECT store, day, start_s, end_s FROM business_hours");
  while (hours.executeStep()) {
    stores[hours.getColumn(0).getInt64()].hours.push_back(
        {hours.getColumn(1).getInt(), std::chrono::seconds{hours.getColumn(2).getInt64()},
         std::chrono::seconds{hours.getColumn(3).getInt64()}});
  }
  // Every special date too (the generator writes some), in date order.
  SQLite::Statement special(
      db.sql(), "SELECT store, day, start_s, end_s FROM special_hours ORDER BY store, day");
  while (special.executeStep()) {
    auto& dates = stores[special.getColumn(0).getInt64()].special;
    const date::local_days day{date::days{special.getColumn(1).getInt64()}};
    if (dates.empty() || dates.back().date != day) dates.push_back({day, {}});
    SpecialHoursRow row;
    row.closed = special.getColumn(2).isNull();
    if (!row.closed) {
      row.start = std::chrono::seconds{special.getColumn(2).getInt64()};
      row.end = std::chrono::seconds{special.getColumn(3).getInt64()};
    }
    dates.back().rows.push_back(row);
  }

  // Several as_of instants inside the 20 days, both interpolations, 1 and 3 threads.
  for (const char* as_of : {"2023-03-20 18:00:00", "2023-03-12 07:30:00", "2023-03-05 00:00:00"}) {
    for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
      Report expected;
      expected.as_of = at(as_of);
      for (const auto& [key, store] : stores) {
        auto figures = compute_store_figures(store, expected.as_of, mode);
        if (figures) test::window_rows(expected).push_back(*figures);
      }
      std::sort(
          test::window_rows(expected).begin(), test::window_rows(expected).end(),
          [](const StoreFigures& a, const StoreFigures& b) { return a.store_id < b.store_id; });
      for (unsigned threads : {1u, 3u}) {
        INFO(as_of << " " << interpolation_name(mode) << " threads " << threads);
        ReportOptions options{at(as_of), mode, threads, {}};
        CHECK(report_text(dir.file("u.db"), options) == report_csv(expected));
      }
    }
  }
}

TEST_CASE("history older than the week does not change the report", "[report_builder]") {
  TempDir dir;
  const Instant end = at("2023-01-25 18:00:00");
  generate_data_set({200, 70, 5, end}, dir.file("long"));
  // Ten weeks of polls; the report as of the end reads only the last week.
  Database long_db(dir.file("long.db"));
  import_directory(long_db, dir.file("long"));
  const Report long_report =
      build_report(dir.file("long.db"), {end, Interpolation::nearest, 2, {}});
  CHECK(test::window_rows(long_report).size() == 200);

  // Drop every poll older than the week plus two days (stores poll at least
  // every few hours): the report must not change.
  Database trimmed(dir.file("long.db"));
  trimmed.sql().exec("DELETE FROM polls WHERE at_us < " +
                     std::to_string(to_micros(end - std::chrono::hours{24 * 9})));
  const Report trimmed_report =
      build_report(dir.file("long.db"), {end, Interpolation::nearest, 2, {}});
  CHECK(report_csv(trimmed_report) == report_csv(long_report));
}

TEST_CASE("workers see one snapshot while polls keep arriving", "[report_builder]") {
  // 2000 stores open 24x7, each inactive at 12:00. Transaction i (1..40) adds
  // for every store an active poll at 13:00 - i min. As of 13:00 with
  // `previous`, a store is down from 12:00 until its earliest active poll, so
  // its last-hour downtime is 60 - i minutes, where i is the number of
  // transactions its worker's snapshot holds. In one snapshot every row
  // shows the same figure; workers on different snapshots would not.
  TempDir dir;
  constexpr int kStores = 2000;
  constexpr int kTransactions = 40;
  {
    Database db(dir.file("u.db"));
    std::string csv = "store_id,status,timestamp_utc\n";
    for (int s = 0; s < kStores; ++s)
      csv += "s" + std::to_string(s) + ",inactive,2023-01-25 12:00:00\n";
    test::import_text(db, Dataset::polls, csv);
  }
  std::atomic<bool> done{false};
  std::thread writer([&] {
    Database db(dir.file("u.db"));
    for (int i = 1; i <= kTransactions; ++i) {
      std::string csv = "store_id,status,timestamp_utc\n";
      const std::string when =
          format_timestamp(at("2023-01-25 13:00:00") - std::chrono::minutes{i});
      for (int s = 0; s < kStores; ++s) csv += "s" + std::to_string(s) + ",active," + when + "\n";
      test::import_text(db, Dataset::polls, csv);
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    done = true;
  });
  ReportOptions options{at("2023-01-25 13:00:00"), Interpolation::previous, 4, {}};
  std::vector<Report> seen;
  while (!done) seen.push_back(build_report(dir.file("u.db"), options));
  writer.join();
  seen.push_back(build_report(dir.file("u.db"), options));

  std::set<HalfMicroseconds> generations_seen;
  for (const Report& report : seen) {
    REQUIRE(test::window_rows(report).size() == kStores);
    const HalfMicroseconds first = test::window_rows(report).front().downtime[last_hour];
    generations_seen.insert(first);
    for (const auto& row : test::window_rows(report)) REQUIRE(row.downtime[last_hour] == first);
  }
  CHECK(test::window_rows(seen.back()).front().downtime[last_hour] ==
        test::minutes(60 - kTransactions));
  // The reports really did run while the data changed.
  CHECK(generations_seen.size() >= 2);
}

TEST_CASE("rows sorted through runs in a temporary file equal rows sorted in memory",
          "[report_builder]") {
  TempDir dir;
  const Instant end = at("2023-01-25 18:00:00");
  generate_data_set({300, 9, 3, end}, dir.file("data"));
  {
    Database db(dir.file("u.db"));
    import_directory(db, dir.file("data"));
  }
  const std::vector<std::optional<Period>> periods = {
      std::nullopt, Period{UtcPeriod{end - date::days{5}, end}},
      Period{DatePeriod{date::local_days{date::year{2023} / 1 / 18},
                        date::local_days{date::year{2023} / 1 / 24}}}};
  for (const auto& period : periods) {
    ReportOptions options;
    options.rules.max_gap = std::chrono::hours{2};  // unknown time and openings in the rows
    options.period = period;
    options.threads = 3;
    const std::string in_memory = report_text(dir.file("u.db"), options);
    CHECK(std::count(in_memory.begin(), in_memory.end(), '\n') == 301);
    for (std::size_t run_rows : {1, 7, 64}) {
      INFO("run_rows " << run_rows << (period ? " with a period" : ""));
      options.run_rows = run_rows;
      CHECK(report_text(dir.file("u.db"), options) == in_memory);
      // The rows reach the sink in store_id order, in bounded chunks.
      std::string last;
      std::size_t rows = 0;
      const ReportSummary summary =
          stream_report(dir.file("u.db"), options, [&](ReportRows&& chunk) {
            std::visit(
                [&](const auto& list) {
                  CHECK(list.size() <= 4096);
                  for (const auto& row : list) {
                    CHECK(row.store_id > last);
                    last = row.store_id;
                    ++rows;
                  }
                },
                chunk);
          });
      CHECK(rows == 300);
      CHECK(summary.stores_reported == 300);
    }
  }
  // The runs' file is gone (its name went at once).
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().filename().string().rfind(".uptime-temporary-", 0) != 0);
  }
}
