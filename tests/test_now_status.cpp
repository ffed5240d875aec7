// What is true of a store at the report's `now` (NowStatus), and outages
// bridged across a few closed minutes, worked by hand. 2023-01-25 is a
// Wednesday; stores are in UTC unless said.
#include <catch2/catch.hpp>

#include "core/store_timeline.hpp"
#include "support.hpp"

using test::at;
using test::every_day;
using test::fine;
using test::hourly_polls;
using test::tod;
using test::utc;

namespace {

NowStatus status(const StoreInput& store, const std::string& now, const StatusRules& rules = {}) {
  const auto week = store_week(store, at(now), rules);
  REQUIRE(week.has_value());
  return now_status(store, *week);
}

}  // namespace

TEST_CASE("now: down since the outage began, across a closed minute", "[now]") {
  // Open 00:00-23:59 daily: one closed minute a day. Down from the poll at
  // 2023-01-24 23:00 on (midpoint 22:30); now the 25th 02:00.
  StoreInput store{"s",
                   hourly_polls("2023-01-18 00:00:00", "2023-01-25 02:00:00",
                                {"2023-01-24 23:00:00", "2023-01-25 00:00:00",
                                 "2023-01-25 01:00:00", "2023-01-25 02:00:00"}),
                   every_day("00:00", "23:59"), utc()};
  const NowStatus now = status(store, "2023-01-25 02:00:00");
  CHECK(now.state == StoreState::down);
  CHECK(now.since == fine("2023-01-24 22:30:00"));
  CHECK_FALSE(now.since_week_start);
  // The outage list agrees: one outage, not two parted by 23:59-00:00.
  const auto week = store_week(store, at("2023-01-25 02:00:00"), Interpolation::nearest);
  const auto down = outages(week_segments(*week));
  REQUIRE(down.size() == 1);
  CHECK(down[0].begin == fine("2023-01-24 22:30:00"));
  CHECK(down[0].end == fine("2023-01-25 02:00:00"));
}

TEST_CASE("now: closed, since the last close, opening next in local time", "[now]") {
  // New York 09:00-17:00; now 2023-01-25 23:00 UTC = 18:00 local: closed
  // since 17:00 local (22:00 UTC), opens tomorrow 09:00 local (14:00 UTC).
  StoreInput store{"s", hourly_polls("2023-01-18 00:00:00", "2023-01-25 23:00:00"),
                   every_day("09:00", "17:00"), date::locate_zone("America/New_York")};
  NowStatus now = status(store, "2023-01-25 23:00:00");
  CHECK(now.state == StoreState::closed);
  CHECK(now.since == fine("2023-01-25 22:00:00"));
  REQUIRE(now.opens);
  CHECK(*now.opens == fine("2023-01-26 14:00:00"));
  // A closed special date tomorrow: it opens the day after.
  store.special.push_back({date::local_days{date::year{2023} / 1 / 26}, {{true, {}, {}}}});
  now = status(store, "2023-01-25 23:00:00");
  REQUIRE(now.opens);
  CHECK(*now.opens == fine("2023-01-27 14:00:00"));
}

TEST_CASE("now: up for the whole week; unknown with max_gap; never opening", "[now]") {
  StoreInput always{"s", hourly_polls("2023-01-10 00:00:00", "2023-01-25 12:00:00"), {}, utc()};
  NowStatus now = status(always, "2023-01-25 12:00:00");
  CHECK(now.state == StoreState::up);
  CHECK(now.since_week_start);
  CHECK(now.since == fine("2023-01-18 12:00:00"));
  // The last poll three hours before now, max_gap 2h: unknown since 13:00.
  now = status(always, "2023-01-25 15:00:00",
               StatusRules{Interpolation::nearest, std::chrono::hours{2}});
  CHECK(now.state == StoreState::unknown);
  CHECK(now.since == fine("2023-01-25 13:00:00"));
  // Every date of the coming week closed: closed with no opening in sight.
  StoreInput closed{"c", hourly_polls("2023-01-18 00:00:00", "2023-01-25 12:00:00"),
                    every_day("09:00", "10:00"), utc()};
  for (int d = 25; d <= 31; ++d) {
    closed.special.push_back({date::local_days{date::year{2023} / 1 / d}, {{true, {}, {}}}});
  }
  for (int d = 1; d <= 3; ++d) {
    closed.special.push_back({date::local_days{date::year{2023} / 2 / d}, {{true, {}, {}}}});
  }
  now = status(closed, "2023-01-25 12:00:00");
  CHECK(now.state == StoreState::closed);
  CHECK(now.since == fine("2023-01-24 10:00:00"));
  CHECK_FALSE(now.opens);
}

TEST_CASE("outages parted by more than the bridged gap stay two", "[now]") {
  // Open 09:00-12:00 and 12:06-17:00 (a 6-minute break), down over both.
  StoreInput store{
      "s",
      hourly_polls("2023-01-18 00:00:00", "2023-01-25 23:00:00",
                   {"2023-01-24 11:00:00", "2023-01-24 12:00:00", "2023-01-24 13:00:00"}),
      {},
      utc()};
  for (int day = 0; day < 7; ++day) {
    store.hours.push_back({day, tod("09:00"), tod("12:00")});
    store.hours.push_back({day, tod("12:06"), tod("17:00")});
  }
  auto week = store_week(store, at("2023-01-25 23:00:00"), Interpolation::nearest);
  CHECK(outages(week_segments(*week)).size() == 2);
  // A 5-minute break is bridged.
  for (auto& row : store.hours) {
    if (row.start == tod("12:06")) row.start = tod("12:05");
  }
  week = store_week(store, at("2023-01-25 23:00:00"), Interpolation::nearest);
  const auto down = outages(week_segments(*week));
  REQUIRE(down.size() == 1);
  CHECK(down[0].length() == std::chrono::hours{3});  // 10:30-13:30, the break inside
}

TEST_CASE("gridlines follow the local clock, daylight saving included", "[now]") {
  // New York, 2023-03-12: 02:00 does not exist, so 00:00 and 06:00 are 5 h
  // apart; 12:00 and 18:00 follow the new offset.
  const auto* zone = date::locate_zone("America/New_York");
  const auto marks =
      local_hour_marks(zone, fine("2023-03-12 05:00:00"), fine("2023-03-13 04:00:00"), 6);
  REQUIRE(marks.size() == 4);
  CHECK(marks[0].hour == 0);
  CHECK(marks[0].at == fine("2023-03-12 05:00:00"));
  CHECK(marks[1].at == fine("2023-03-12 10:00:00"));  // 06:00 EDT
  CHECK(marks[3].hour == 18);
  CHECK(marks[3].at == fine("2023-03-12 22:00:00"));
  // A step landing in the skipped hour (02:00 with a step of 2) has no mark.
  const auto twos =
      local_hour_marks(zone, fine("2023-03-12 05:00:00"), fine("2023-03-13 04:00:00"), 2);
  CHECK(twos.size() == 11);
}
