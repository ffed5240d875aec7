// A report's stores shared among the processes on one PostgreSQL database
// (storage/postgresql/pg_report_parts.hpp): whoever computes the parts, and
// whatever becomes of a taker, the report is SQLite's, byte for byte. The
// report's own workers are held (UPTIME_TEST_HOLD_REPORT_PARTS) while the
// other process's helper takes parts, so who computes what is decided by the
// test, not by the machine's speed.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "postgresql/fresh_database.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_report_parts.hpp"
#include "storage/store_engine.hpp"
#include "support.hpp"

using test::FreshDatabase;
using test::TempDir;

namespace {

void import_demo(StoreEngine& engine) {
  for (const auto& [file, dataset] :
       {std::pair{"store_status.csv", Dataset::polls}, std::pair{"menu_hours.csv", Dataset::hours},
        std::pair{"timezones.csv", Dataset::zones}}) {
    std::ifstream in(std::string(FIXTURES_DIR) + "/demo/" + file);
    REQUIRE(engine.ingest_csv(dataset, file, in, {}, IngestRules{}).ok());
  }
}

// Runs `report` while the report's own workers are held, `meanwhile` (the
// other process) called once the report's parts are published; the hold is
// released when `meanwhile` returns.
std::string held_report(const std::string& url, const ReportOptions& options,
                        const std::function<void(PgConnection& db)>& meanwhile) {
  TempDir dir;
  const std::string hold = dir.file("hold");
  std::ofstream(hold) << "held";
  REQUIRE(setenv("UPTIME_TEST_HOLD_REPORT_PARTS", hold.c_str(), 1) == 0);
  std::string csv;
  std::thread reporter([&] {
    const auto engine = open_store_engine(url);
    csv = test::report_csv(*engine, options);
  });
  try {
    PgConnection db(url);
    while (db.exec("SELECT count(*) FROM report_runs").int64(0, 0) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a condition, not a time
    }
    meanwhile(db);
  } catch (...) {
    std::filesystem::remove(hold);
    reporter.join();
    throw;
  }
  std::filesystem::remove(hold);
  reporter.join();
  unsetenv("UPTIME_TEST_HOLD_REPORT_PARTS");
  return csv;
}

}  // namespace

TEST_CASE("PostgreSQL: a report's parts computed by another process give SQLite's report",
          "[postgresql]") {
  TempDir dir;
  const auto sqlite = open_store_engine(dir.file("u.db"));
  import_demo(*sqlite);
  FreshDatabase database("report_parts");
  import_demo(*open_store_engine(database.url()));

  ReportOptions windows;
  windows.threads = 2;
  windows.part_keys = 8;  // 100 stores: 13 parts
  ReportOptions dates = windows;
  dates.period = DatePeriod{date::local_days{date::year{2023} / 1 / 18},
                            date::local_days{date::year{2023} / 1 / 24}};
  dates.rules.max_gap = std::chrono::hours{2};
  // The helper of another process (another origin than this one's).
  PgReportHelper helper(database.url(), 2, "another process");

  for (const ReportOptions& options : {windows, dates}) {
    const std::string expected = test::report_csv(*sqlite, options);
    REQUIRE(std::count(expected.begin(), expected.end(), '\n') == 101);

    INFO((options.period ? "dates" : "windows"));
    // All parts by the helper.
    std::size_t helped = 0;
    CHECK(held_report(database.url(), options, [&](PgConnection&) { helped = helper.step(); }) ==
          expected);
    CHECK(helped == 100);
    // Two parts by the helper (keys 1-8 and 9-16), the rest by the report's workers.
    CHECK(held_report(database.url(), options, [&](PgConnection&) { helped = helper.step(2); }) ==
          expected);
    CHECK(helped == 16);
    // Another process takes the first part and dies before it is done: its
    // transaction ends with its connection, and the part is free again.
    CHECK(held_report(database.url(), options, [&](PgConnection& db) {
            auto taker = std::make_unique<PgConnection>(database.url());
            const std::string run = db.exec("SELECT id FROM report_runs").text(0, 0);
            taker->exec("BEGIN");
            REQUIRE(taker->exec(sql::pg_query("take_report_part"), PgParams{run}).rows() == 1);
            taker.reset();
          }) == expected);
  }
  PgConnection db(database.url());
  CHECK(db.exec("SELECT count(*) FROM report_runs").int64(0, 0) == 0);  // each deleted when done
  CHECK(helper.step() == 0);                                            // nothing left to help
}

TEST_CASE("PostgreSQL: a report run whose process died is deleted by the next helper",
          "[postgresql]") {
  FreshDatabase database("report_parts_orphan");
  PgReportHelper helper(database.url(), 1, "another process");
  PgConnection db(database.url());
  // As a process killed while computing leaves it: its snapshot gone.
  const std::string run =
      db.exec(
            sql::pg_query("publish_report_run"),
            PgParams{std::string("a process now dead"), std::string("00000003-0000001B-1"),
                     std::string("0"), std::string("nearest"), std::nullopt, std::string("windows"),
                     std::nullopt, std::nullopt, std::string("0"), std::string("true")})
          .text(0, 0);
  db.exec(sql::pg_query("publish_report_parts"),
          PgParams{run, std::string("100"), std::string("8")});
  CHECK(helper.step() == 0);
  CHECK(db.exec("SELECT count(*) FROM report_runs").int64(0, 0) == 0);
  CHECK(db.exec("SELECT count(*) FROM report_parts").int64(0, 0) == 0);
}
