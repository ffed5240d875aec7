// Daily rollups on PostgreSQL (storage/postgresql/pg_rollups.hpp) as on
// SQLite: inputs fed step by step to both engines (late polls, hours, special
// dates and zones changed, polls and special dates deleted, across a
// daylight-saving change) leave the same rollups and marks after each
// roll-up, in batches of any size; periods of dates and a store's days read
// from them give SQLite's answers and the answers from polls, and so do the
// three windows with each store's status now (SQLite reads them from
// rollups, PostgreSQL from polls); and only the worker lease's holder rolls
// up.
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

#include "../report_text.hpp"
#include "postgresql/counted_lease.hpp"
#include "postgresql/fresh_database.hpp"
#include "server/store_detail.hpp"
#include "storage/postgresql/pg_rollups.hpp"
#include "storage/postgresql/pg_store_edits.hpp"
#include "storage/postgresql/pg_worker_lease.hpp"
#include "storage/rollups.hpp"
#include "storage/store_edits.hpp"
#include "storage/store_engine.hpp"
#include "support.hpp"

using test::FreshDatabase;
using test::TempDir;

namespace {

// Hourly polls of `store` from `from` for `hours` hours, down in the hours
// whose number (from 0) is divisible by `down_every`.
std::string hourly_polls(const std::string& store, const char* from, int hours, int down_every) {
  std::string csv = "store_id,status,timestamp_utc\n";
  const Instant start = test::at(from);
  for (int hour = 0; hour < hours; ++hour) {
    csv += store + (hour % down_every == 0 ? ",inactive," : ",active,") +
           format_timestamp(start + std::chrono::hours{hour} + std::chrono::minutes{7}) + "\n";
  }
  return csv;
}

// Both engines, one change at a time.
struct Engines {
  TempDir dir;
  FreshDatabase database{"engine_rollups"};
  std::unique_ptr<StoreEngine> sqlite = open_store_engine(dir.file("u.db"));
  std::unique_ptr<StoreEngine> postgresql = open_store_engine(database.url());

  void load_both(Dataset dataset, const std::string& csv) {
    test::load_csv(*sqlite, dataset, csv);
    test::load_csv(*postgresql, dataset, csv);
  }
};

// The rollups and each store's marks, by store id, as text.
constexpr const char* kRollups =
    "SELECT s.store_id || ' ' || r.day || ' ' || r.settled_us || ' ' || r.business_total_hus || "
    "' ' || r.up_total_hus || ' ' || r.down_total_hus || ' ' || r.unknown_total_hus "
    "FROM daily_rollups r JOIN stores s ON s.id = r.store ORDER BY s.store_id, r.day";
constexpr const char* kMarks =
    "SELECT store_id || ' ' || coalesce(rollup_from_us, -1) || ' ' || "
    "coalesce(settles_next_us, -1) FROM stores ORDER BY store_id";

std::string rows_text(PgConnection& db, const char* query) {
  const PgResult rows = db.exec(query);
  std::string text;
  for (int row = 0; row < rows.rows(); ++row) text += std::string(rows.text(row, 0)) + "\n";
  return text;
}
std::string rows_text(const std::string& path, const char* query) {
  Database db(path, Database::Access::read_only);
  SQLite::Statement rows(db.sql(), query);
  std::string text;
  while (rows.executeStep()) text += rows.getColumn(0).getString() + "\n";
  return text;
}

// The three windows as `engine` answers them: the CSV and each store's
// status now (report_text.hpp).
std::string windows_text(StoreEngine& engine, const ReportOptions& options) {
  Report report;
  std::vector<StoreFigures> rows;
  const ReportSummary summary = engine.stream_report(
      options,
      [&rows](ReportRows&& chunk) {
        for (StoreFigures& row : std::get<std::vector<StoreFigures>>(chunk)) {
          rows.push_back(std::move(row));
        }
      },
      nullptr);
  report.rows = std::move(rows);
  report.as_of = summary.as_of;
  report.rules = summary.rules;
  return test::report_text(report);
}

// A store's days (GET /stores/<id>/days) as of `now`, read with `rules`.
std::string days_text(StoreEngine& engine, const std::string& store, const DatePeriod& dates,
                      Instant now, const StatusRules& rules) {
  const auto snapshot = engine.store_snapshot(store, now, dates, &rules);
  REQUIRE(snapshot);
  return store_days_json(*snapshot, rules, dates).dump();
}

}  // namespace

TEST_CASE("PostgreSQL: daily rollups as SQLite makes and reads them, step by step",
          "[postgresql][rollups]") {
  Engines engines;
  const std::string sqlite_path = engines.dir.file("u.db");
  PgConnection pg(engines.database.url());
  PgRollups pg_rollups(engines.database.url());
  const StatusRules rules(Interpolation::nearest);
  // Over the change to summer time in New York (2023-03-12) and a week after.
  const DatePeriod dates{date::local_days{date::year{2023} / 3 / 8},
                         date::local_days{date::year{2023} / 3 / 20}};
  const Instant now = test::at("2023-03-20 18:00:00");
  ReportOptions period;
  period.as_of = now;
  period.period = dates;
  ReportOptions from_polls = period;
  from_polls.read_rollups = false;
  ReportOptions windows;
  windows.as_of = now;
  ReportOptions windows_from_polls = windows;
  windows_from_polls.read_rollups = false;

  SharedConnection writer(sqlite_path);
  SqliteStoreEdits sqlite_edits(writer);
  PgStoreEdits postgresql_edits(engines.database.url());
  const auto day = [](const char* text) { return *parse_local_date(text); };
  const std::vector<std::pair<std::string, std::function<void()>>> steps = {
      {"zones, hours and a week of polls",
       [&] {
         engines.load_both(Dataset::zones,
                           "store_id,timezone_str\na,America/New_York\nb,Asia/Kolkata\n");
         engines.load_both(Dataset::hours,
                           "store_id,dayOfWeek,start_time_local,end_time_local\n"
                           "a,0,09:00,17:00\na,1,22:00,02:00\na,5,00:00,23:59\nb,3,06:00,06:00\n");
         engines.load_both(Dataset::polls, hourly_polls("a", "2023-03-09 00:00:00", 24 * 7, 5));
         engines.load_both(Dataset::polls, hourly_polls("b", "2023-03-10 03:00:00", 24 * 5, 7));
         engines.load_both(Dataset::polls, hourly_polls("c", "2023-03-11 00:00:00", 30, 4));
         // Up for the whole week (its status now needs the whole week), and
         // up since 2023-03-16 (a longer tail holds it).
         engines.load_both(Dataset::polls, hourly_polls("d", "2023-03-12 00:00:00", 209, 1000));
         engines.load_both(Dataset::polls, hourly_polls("e", "2023-03-12 00:00:00", 209, 110));
       }},
      {"newer polls settle more dates",
       [&] {
         engines.load_both(Dataset::polls, hourly_polls("a", "2023-03-16 00:00:00", 24 * 4, 3));
       }},
      {"late polls, and one contradicted",
       [&] {
         engines.load_both(Dataset::polls,
                           "store_id,status,timestamp_utc\n"
                           "a,inactive,2023-03-12 08:30:00 UTC\nb,active,2023-03-11 10:30:00 UTC\n"
                           "a,active,2023-03-12 09:07:00 UTC\nc,active,2023-03-10 12:00:00 UTC\n");
       }},
      {"special dates and new hours",
       [&] {
         engines.load_both(Dataset::special_hours,
                           "store_id,date,start_time_local,end_time_local\n"
                           "a,2023-03-13,,\nb,2023-03-12,10:00,12:00\n");
         engines.load_both(Dataset::hours,
                           "store_id,dayOfWeek,start_time_local,end_time_local\nc,6,08:00,20:00\n");
       }},
      {"a zone changed",
       [&] { engines.load_both(Dataset::zones, "store_id,timezone_str\nb,Europe/Paris\n"); }},
      {"polls and special dates deleted", [&] {
         for (StoreEdits* edits : std::vector<StoreEdits*>{&sqlite_edits, &postgresql_edits}) {
           edits->delete_polls("a", test::at("2023-03-14 00:00:00"),
                               test::at("2023-03-15 00:00:00"));
           edits->delete_polls("c", std::nullopt, test::at("2023-03-11 06:00:00"));
           edits->delete_special_dates("b", day("2023-03-01"), day("2023-03-31"));
         }
       }}};
  // Small batches on PostgreSQL: a store at a time, then two, then all.
  const std::vector<std::size_t> batches = {1, 2, 500};
  for (std::size_t step = 0; step < steps.size(); ++step) {
    INFO("step " << step << ": " << steps[step].first);
    steps[step].second();
    {
      Database db(sqlite_path);
      roll_up_all(db, rules);
    }
    const RollUpCounts rolled = roll_up_all(pg_rollups, rules, batches[step % batches.size()]);
    CHECK(rolled.stores > 0);
    const std::string rollups = rows_text(pg, kRollups);
    CHECK(rollups == rows_text(sqlite_path, kRollups));
    CHECK(rows_text(pg, kMarks) == rows_text(sqlite_path, kMarks));
    CHECK_FALSE(rollups.empty());
    // Read from rollups, as from polls and as on SQLite.
    const std::string report = test::report_csv(*engines.postgresql, period);
    CHECK(report == test::report_csv(*engines.postgresql, from_polls));
    CHECK(report == test::report_csv(*engines.sqlite, period));
    const std::string three_windows = windows_text(*engines.postgresql, windows);
    CHECK(three_windows == windows_text(*engines.postgresql, windows_from_polls));
    CHECK(three_windows == windows_text(*engines.sqlite, windows));
    for (const char* store : {"a", "b", "c"}) {
      INFO("store " << store);
      CHECK(days_text(*engines.postgresql, store, dates, now, rules) ==
            days_text(*engines.sqlite, store, dates, now, rules));
    }
  }
  // Nothing left to roll up; other rules make every date anew.
  CHECK(roll_up_all(pg_rollups, rules).stores == 0);
  StatusRules with_gap(Interpolation::nearest);
  with_gap.max_gap = std::chrono::hours{2};
  CHECK(roll_up_all(pg_rollups, with_gap).stores == 5);
  {
    Database db(sqlite_path);
    roll_up_all(db, with_gap);
  }
  CHECK(rows_text(pg, kRollups) == rows_text(sqlite_path, kRollups));
  ReportOptions period_with_gap = period;
  period_with_gap.rules = with_gap;
  CHECK(test::report_csv(*engines.postgresql, period_with_gap) ==
        test::report_csv(*engines.sqlite, period_with_gap));
}

TEST_CASE("PostgreSQL: only the worker lease's holder rolls up", "[postgresql][rollups]") {
  FreshDatabase database("rollup_lease");
  test::load_csv(*open_store_engine(database.url()), Dataset::polls,
                 hourly_polls("a", "2023-03-09 00:00:00", 72, 5));
  auto other_server = std::make_unique<PgWorkerLease>(database.url());
  REQUIRE(other_server->held());
  test::CountedLease lease(database.url());
  RollupWorker worker(database.url(), lease, StatusRules(Interpolation::nearest),
                      std::chrono::milliseconds{10});
  PgConnection db(database.url());
  const auto rolled_up = [&db] {
    return db.exec("SELECT count(*) FROM daily_rollups").int64(0, 0);
  };
  // Three checks asked for the lease: two of them ended without it.
  while (lease.asked() < 3) std::this_thread::sleep_for(std::chrono::milliseconds{5});
  CHECK(rolled_up() == 0);

  other_server.reset();  // its connection ends, and the lock with it
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (rolled_up() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  // A store's dates are written in one transaction: 2023-03-08 to 03-10,
  // local dates in the default zone (America/Chicago) its polls settled.
  CHECK(rolled_up() == 3);
}
