// Daily rollups (docs/rollups.md): a period of local dates answered from
// rollups equals the same period answered from polls, on generated data with
// DST changes and special dates, after late polls, schedule changes, poll
// deletions and a change of rules, whether or not the stores were rolled up
// again since; retention deletes only polls of rolled-up dates, whose rollups
// still answer, and refuses what would need the deleted polls.
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>

#include "app/generator.hpp"
#include "core/day_rollup.hpp"
#include "report_text.hpp"
#include "server/store_detail.hpp"
#include "storage/kept_polls.hpp"
#include "storage/report_builder.hpp"
#include "storage/retention.hpp"
#include "storage/rollups.hpp"
#include "support.hpp"

using test::at;
using test::TempDir;

namespace {

const DatePeriod kAllDates{date::local_days{date::year{2023} / 3 / 1},
                           date::local_days{date::year{2023} / 3 / 20}};
// Holds the US change to daylight saving time (Sunday 2023-03-12).
const DatePeriod kAcrossDst{date::local_days{date::year{2023} / 3 / 5},
                            date::local_days{date::year{2023} / 3 / 14}};
const DatePeriod kOneDate{date::local_days{date::year{2023} / 3 / 12},
                          date::local_days{date::year{2023} / 3 / 12}};

StatusRules rules_with_gap(std::optional<std::chrono::seconds> max_gap) {
  StatusRules rules(Interpolation::nearest);
  rules.max_gap = max_gap;
  return rules;
}

std::string period_report(const std::string& db_path, const DatePeriod& dates,
                          const StatusRules& rules, std::optional<Instant> as_of,
                          bool read_rollups) {
  ReportOptions options;
  options.as_of = as_of;
  options.rules = rules;
  options.threads = 2;
  options.period = dates;
  options.read_rollups = read_rollups;
  return report_csv(build_report(db_path, options));
}

// The three windows as of `as_of`, with each row's status now.
std::string windows_report(const std::string& db_path, const StatusRules& rules,
                           std::optional<Instant> as_of, bool read_rollups) {
  ReportOptions options;
  options.as_of = as_of;
  options.rules = rules;
  options.threads = 2;
  options.read_rollups = read_rollups;
  return test::report_text(build_report(db_path, options));
}

// Every period and as_of of the test, and the three windows, answered from
// rollups and from polls alike.
void check_rollups_match_polls(const std::string& db_path, const StatusRules& rules) {
  for (const std::optional<Instant>& as_of :
       {std::optional<Instant>{}, std::optional<Instant>{at("2023-03-12 09:30:00")}}) {
    INFO((as_of ? "as of 2023-03-12 09:30" : "as of the newest poll"));
    for (const DatePeriod& dates : {kAllDates, kAcrossDst, kOneDate}) {
      INFO("dates " << date::format("%F", dates.from) << " to " << date::format("%F", dates.to));
      const std::string from_polls = period_report(db_path, dates, rules, as_of, false);
      CHECK(period_report(db_path, dates, rules, as_of, true) == from_polls);
    }
    INFO("the three windows");
    CHECK(windows_report(db_path, rules, as_of, true) ==
          windows_report(db_path, rules, as_of, false));
  }
}

// One period answered from rollups and from polls alike, as of the newest poll.
void check_period_rollups_match_polls(const std::string& db_path, const DatePeriod& dates,
                                      const StatusRules& rules) {
  CHECK(period_report(db_path, dates, rules, std::nullopt, true) ==
        period_report(db_path, dates, rules, std::nullopt, false));
}

std::int64_t stores_out_of_date(Database& db) {
  return test::scalar(db, "SELECT count(*) FROM stores WHERE rollup_from_us IS NOT NULL");
}

// The store_ids of the first `count` stores.
std::vector<std::string> some_stores(Database& db, int count) {
  std::vector<std::string> ids;
  SQLite::Statement query(db.sql(), "SELECT store_id FROM stores ORDER BY id LIMIT ?1");
  query.bind(1, count);
  while (query.executeStep()) ids.push_back(query.getColumn(0).getString());
  return ids;
}

struct GeneratedDatabase {
  TempDir dir;
  std::string path = dir.file("u.db");
  Database db{path};
  GeneratedDatabase() {
    generate_data_set({150, 20, 7, at("2023-03-20 18:00:00")}, dir.file("data"));
    import_directory(db, dir.file("data"));
  }
};

// The generated data set with every store rolled up, and checked: where
// each case below starts. Each case is a test of its own, so that CTest runs
// them side by side (as SECTIONs of one case they ran one after another: two
// minutes under the sanitizers).
struct RolledUpDatabase : GeneratedDatabase {
  const StatusRules rules = rules_with_gap(std::nullopt);
  RolledUpDatabase() {
    CHECK(stores_out_of_date(db) > 0);
    CHECK(roll_up_all(db, rules, 40).stores == 150);
    CHECK(stores_out_of_date(db) == 0);
    // About 150 stores × 19 settled dates, none before a store's first poll.
    CHECK(test::scalar(db, "SELECT count(*) FROM daily_rollups") > 150 * 15);
    check_rollups_match_polls(path, rules);
  }
};

}  // namespace

TEST_CASE("periods of dates from rollups equal the same periods from polls", "[rollups]") {
  RolledUpDatabase data;  // checks as it is made
}

TEST_CASE("rollups: the report reads the rollups: a changed rollup changes it", "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  // The last rollup of the first store: an hour more uptime through it.
  data.db.sql().exec(
      "UPDATE daily_rollups SET up_total_hus = up_total_hus + 7200000000 "
      "WHERE store = (SELECT min(id) FROM stores) AND day = (SELECT max(day) FROM daily_rollups "
      "WHERE store = (SELECT min(id) FROM stores))");
  CHECK(period_report(data.path, kAllDates, rules, std::nullopt, true) !=
        period_report(data.path, kAllDates, rules, std::nullopt, false));
  CHECK(windows_report(data.path, rules, std::nullopt, true) !=
        windows_report(data.path, rules, std::nullopt, false));
}

TEST_CASE("rollups: polls after all the others leave no mark; the dates they settle roll up",
          "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  std::string rows;
  for (const std::string& id : some_stores(data.db, 30)) {
    rows += id + ",active,2023-03-21 07:00:00 UTC\n" + id + ",inactive,2023-03-21 09:00:00 UTC\n";
  }
  test::import_text(data.db, Dataset::polls, "store_id,status,timestamp_utc\n" + rows);
  CHECK(stores_out_of_date(data.db) == 0);
  const std::string settled = "SELECT count(*) FROM stores WHERE latest_poll_us >= settles_next_us";
  CHECK(test::scalar(data.db, settled) == 30);
  check_rollups_match_polls(data.path, rules);
  const RollUpCounts counts = roll_up_all(data.db, rules);
  CHECK(counts.stores == 30);
  CHECK(counts.dates >= 30);
  CHECK(test::scalar(data.db, settled) == 0);
  check_rollups_match_polls(data.path, rules);
}

TEST_CASE("rollups: late polls: the dates they reach are read from polls until rolled up again",
          "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  std::string rows;
  for (const std::string& id : some_stores(data.db, 40)) {
    rows += id + ",inactive,2023-03-08 12:34:56 UTC\n";
    rows += id + ",inactive,2023-03-12 08:10:00 UTC\n";
    rows += id + ",active,2023-02-27 23:00:00 UTC\n";  // before its first poll
  }
  test::import_text(data.db, Dataset::polls, "store_id,status,timestamp_utc\n" + rows);
  CHECK(stores_out_of_date(data.db) == 40);
  check_rollups_match_polls(data.path, rules);
  CHECK(roll_up_all(data.db, rules).stores == 40);
  check_rollups_match_polls(data.path, rules);
}

TEST_CASE("rollups: new special dates, hours and zones make the stores' dates anew", "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  const auto ids = some_stores(data.db, 6);
  test::import_text(data.db, Dataset::special_hours,
                    "store_id,date,start_time_local,end_time_local\n" + ids[0] + ",2023-03-07,,\n" +
                        ids[1] + ",2023-03-12,01:00,04:00\n");
  test::import_text(
      data.db, Dataset::hours,
      "store_id,dayOfWeek,start_time_local,end_time_local\n" + ids[2] + ",3,02:00:00,23:00:00\n");
  test::import_text(
      data.db, Dataset::zones,
      "store_id,timezone_str\n" + ids[3] + ",Asia/Kolkata\n" + ids[4] + ",Europe/London\n");
  CHECK(stores_out_of_date(data.db) == 5);
  check_rollups_match_polls(data.path, rules);
  roll_up_all(data.db, rules);
  check_rollups_match_polls(data.path, rules);
  // A deleted special date too.
  REQUIRE(delete_special_dates(data.db, ids[0], kAllDates.from, kAllDates.to));
  CHECK(stores_out_of_date(data.db) == 1);
  check_rollups_match_polls(data.path, rules);
  roll_up_all(data.db, rules);
  check_rollups_match_polls(data.path, rules);
}

TEST_CASE("rollups: deleted polls, in the middle and from the start", "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  const auto ids = some_stores(data.db, 3);
  REQUIRE(
      delete_store_polls(data.db, ids[0], at("2023-03-09 00:00:00"), at("2023-03-10 07:00:00")));
  REQUIRE(delete_store_polls(data.db, ids[1], std::nullopt, at("2023-03-04 13:00:00")));
  REQUIRE(delete_store_polls(data.db, ids[2], std::nullopt, std::nullopt));
  CHECK(stores_out_of_date(data.db) == 3);
  check_rollups_match_polls(data.path, rules);
  roll_up_all(data.db, rules);
  CHECK(test::scalar(data.db,
                     "SELECT count(*) FROM daily_rollups WHERE store = (SELECT id "
                     "FROM stores WHERE store_id = '" +
                         ids[2] + "')") == 0);
  check_rollups_match_polls(data.path, rules);
}

TEST_CASE("rollups: retention deletes only polls of rolled-up dates; their rollups stay",
          "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  const std::string all_before = period_report(data.path, kAllDates, rules, std::nullopt, false);
  // A late poll marks a store out of date: retention leaves its polls.
  const std::string late_store = some_stores(data.db, 1)[0];
  test::import_text(
      data.db, Dataset::polls,
      "store_id,status,timestamp_utc\n" + late_store + ",inactive,2023-03-05 10:11:12 UTC\n");
  const std::string polls_of_late_store =
      "SELECT count(*) FROM polls JOIN stores ON stores.id = polls.store WHERE store_id = '" +
      late_store + "'";
  const std::int64_t late_store_polls = test::scalar(data.db, polls_of_late_store);
  const std::string all_with_late = period_report(data.path, kAllDates, rules, std::nullopt, false);
  const auto result = apply_retention(data.db, RetentionSettings{0, 10}, RetentionPart::polls, {},
                                      at("2023-03-21 00:00:00"));
  REQUIRE(result.polls_deleted > 0);
  CHECK(test::scalar(data.db, polls_of_late_store) == late_store_polls);
  CHECK(test::scalar(data.db,
                     "SELECT count(*) FROM stores WHERE frozen_through_day IS NULL "
                     "AND first_poll_us IS NOT NULL") == 1);
  // The latest poll is 03-20 18:00: the line is ten days before it.
  const auto line = polls_deleted_before(data.db);
  REQUIRE(line);
  CHECK(*line >= at("2023-03-10 18:00:00"));
  // The whole history still reads as before, from the rollups.
  CHECK(period_report(data.path, kAllDates, rules, std::nullopt, true) == all_with_late);
  CHECK(all_with_late != all_before);
  roll_up_all(data.db, rules);
  CHECK(period_report(data.path, kAllDates, rules, std::nullopt, true) == all_with_late);

  // What would need the deleted polls is refused, saying which option.
  ReportOptions options;
  options.rules = rules;
  options.period = kAllDates;
  CHECK_FALSE(needs_deleted_polls(data.db, options));
  options.read_rollups = false;
  CHECK_THAT(needs_deleted_polls(data.db, options).value_or(""),
             Catch::Contains("--no-rollups") && Catch::Contains("--keep-polls-days"));
  options.read_rollups = true;
  options.rules = rules_with_gap(std::chrono::hours{2});
  CHECK_THAT(needs_deleted_polls(data.db, options).value_or(""),
             Catch::Contains("max_gap=2h") && Catch::Contains("'from_date' 2023-03-01"));
  options.period = UtcPeriod{at("2023-03-02 00:00:00"), at("2023-03-04 00:00:00")};
  CHECK_THAT(needs_deleted_polls(data.db, options).value_or(""), Catch::Contains("'from'"));
  options.period = std::nullopt;
  options.as_of = at("2023-03-08 00:00:00");
  CHECK_THAT(needs_deleted_polls(data.db, options).value_or(""), Catch::Contains("as_of"));
  // Dates after the line read polls with any options.
  const DatePeriod after_line{date::local_days{date::year{2023} / 3 / 13}, kAllDates.to};
  options.as_of = std::nullopt;
  options.period = after_line;
  CHECK_FALSE(needs_deleted_polls(data.db, options));
  check_period_rollups_match_polls(data.path, after_line, rules);

  // A poll where polls were deleted is a bad row, not a silent one.
  const auto late = test::import_text(
      data.db, Dataset::polls,
      "store_id,status,timestamp_utc\n" + late_store + ",inactive,2023-03-03 10:11:12 UTC\n");
  CHECK(late.rejected == 1);
  REQUIRE(late.first_rejections.size() == 1);
  CHECK_THAT(late.first_rejections[0], Catch::Contains("deleted by retention"));

  // New hours make the dates whose polls are kept anew; the frozen ones stay.
  test::import_text(data.db, Dataset::hours,
                    "store_id,dayOfWeek,start_time_local,end_time_local\n" + late_store +
                        ",3,02:00:00,23:00:00\n");
  roll_up_all(data.db, rules);
  check_period_rollups_match_polls(data.path, after_line, rules);
}

TEST_CASE("rollups: other rules make every rollup anew; reports with the old ones read polls",
          "[rollups]") {
  RolledUpDatabase data;
  const StatusRules& rules = data.rules;
  const StatusRules with_gap = rules_with_gap(std::chrono::hours{2});
  roll_up_all(data.db, with_gap);
  const auto made_with = rollup_rules(data.db.sql());
  REQUIRE(made_with);
  CHECK(made_with->max_gap == std::chrono::seconds{7200});
  CHECK(test::scalar(data.db, "SELECT max(unknown_total_hus) FROM daily_rollups") > 0);
  check_rollups_match_polls(data.path, with_gap);
  check_rollups_match_polls(data.path, rules);
}

TEST_CASE("only the dates a store's polls settle are rolled up", "[rollups]") {
  StoreInput store;
  store.zone = test::zone("America/New_York");
  store.hours = test::every_day("09:00", "17:00");
  store.polls =
      test::hourly_polls("2023-03-10 20:00:00", "2023-03-13 04:00:00", {"2023-03-11 15:00:00"});
  const auto days = roll_up_days(store, StatusRules(Interpolation::nearest),
                                 date::local_days{date::year{2023} / 3 / 9},
                                 date::local_days{date::year{2023} / 3 / 13});
  // 03-09 ends before the first poll; 03-13 has no poll after its end yet.
  // 03-10 (from the first poll, 15:00 local, on), 03-11, 03-12 (23 hours).
  REQUIRE(days.size() == 3);
  CHECK(days[0].date == date::local_days{date::year{2023} / 3 / 10});
  CHECK(days[0].settled == at("2023-03-11 05:00:00"));
  CHECK(days[0].times.business == test::hours(2));
  CHECK(days[1].times.business == test::hours(8));
  CHECK(days[1].times.downtime == test::hours(1));
  CHECK(days[1].times.uptime == test::hours(7));
  CHECK(days[2].settled == at("2023-03-13 04:00:00"));

  const auto runs = dates_not_rolled_up(date::local_days{date::year{2023} / 3 / 8},
                                        date::local_days{date::year{2023} / 3 / 14}, days);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].from == date::local_days{date::year{2023} / 3 / 8});
  CHECK(runs[0].to == date::local_days{date::year{2023} / 3 / 9});
  CHECK(runs[1].from == date::local_days{date::year{2023} / 3 / 13});
  CHECK(runs[1].to == date::local_days{date::year{2023} / 3 / 14});
}

TEST_CASE("a store's days from rollups equal its days from polls", "[rollups]") {
  GeneratedDatabase data;
  const StatusRules rules = rules_with_gap(std::nullopt);
  roll_up_all(data.db, rules);
  std::size_t polls_read = 0, polls_read_with_rollups = 0;
  for (const std::string& id : some_stores(data.db, 25)) {
    for (const DatePeriod& dates : {kAllDates, kAcrossDst}) {
      for (const std::optional<Instant>& as_of :
           {std::optional<Instant>{}, std::optional<Instant>{at("2023-03-12 09:30:00")}}) {
        INFO(id << " from " << date::format("%F", dates.from));
        const auto from_polls = read_store_snapshot(data.path, id, as_of, dates);
        const auto from_rollups = read_store_snapshot(data.path, id, as_of, dates, &rules);
        REQUIRE(from_polls);
        REQUIRE(from_rollups);
        CHECK(from_polls->rolled_up.empty());
        CHECK(!from_rollups->rolled_up.empty());
        polls_read += from_polls->input.polls.size();
        polls_read_with_rollups += from_rollups->input.polls.size();
        CHECK(store_days_json(*from_rollups, rules, dates).dump() ==
              store_days_json(*from_polls, rules, dates).dump());
      }
    }
  }
  // Only the dates not yet settled (the last, or those after as_of) read polls.
  CHECK(polls_read_with_rollups * 4 < polls_read);
}
