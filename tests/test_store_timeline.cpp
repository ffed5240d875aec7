// A store's week as a timeline (store_timeline) and as the JSON of
// GET /stores/<id> (store_detail): states, merging, outages, local days and
// local times, checked by hand; segments agree with the report's figures.
#include <catch2/catch.hpp>
#include <random>

#include "core/store_timeline.hpp"
#include "server/store_detail.hpp"
#include "support.hpp"

using test::at;
using test::every_day;
using test::fine;
using test::hourly_polls;
using test::hours;
using test::tod;
using test::zone;

namespace {

StoreWeek week_of(const StoreInput& store, const std::string& now) {
  auto week = store_week(store, at(now), Interpolation::nearest);
  REQUIRE(week.has_value());
  return *week;
}

}  // namespace

TEST_CASE("segments: closed outside hours, up and down inside, merged", "[store_timeline]") {
  // New York 09:00-17:00 = 14:00-22:00 UTC in January. Inactive polls at 17:00
  // and 18:00 UTC on the 24th: down from 16:30 to 18:30 (nearest poll).
  StoreInput store{"s",
                   hourly_polls("2023-01-17 00:00:00", "2023-01-25 23:00:00",
                                {"2023-01-24 17:00:00", "2023-01-24 18:00:00"}),
                   every_day("09:00", "17:00"), zone("America/New_York")};
  const auto segments = week_segments(week_of(store, "2023-01-25 23:00:00"));
  // Week: 18th 23:00 -> 25th 23:00 UTC; 7 open days, one of them split by the outage.
  REQUIRE(segments.size() == 7 * 2 + 1 + 2);
  CHECK(segments.front().begin == fine("2023-01-18 23:00:00"));
  CHECK(segments.front().state == StoreState::closed);
  CHECK(segments.back().end == fine("2023-01-25 23:00:00"));
  for (std::size_t i = 1; i < segments.size(); ++i) {
    CHECK(segments[i].begin == segments[i - 1].end);    // no gap, no overlap
    CHECK(segments[i].state != segments[i - 1].state);  // merged
  }
  const auto down = outages(segments);
  REQUIRE(down.size() == 1);
  CHECK(down[0] == Interval{fine("2023-01-24 16:30:00"), fine("2023-01-24 18:30:00")});
}

TEST_CASE("segments: an outage across midnight in 24x7 hours is one outage", "[store_timeline]") {
  StoreInput store{"s",
                   hourly_polls("2023-01-17 00:00:00", "2023-01-25 12:00:00",
                                {"2023-01-22 23:00:00", "2023-01-23 00:00:00"}),
                   {},
                   zone("UTC")};
  const auto segments = week_segments(week_of(store, "2023-01-25 12:00:00"));
  REQUIRE(segments.size() == 3);
  CHECK(segments[1].state == StoreState::down);
  const auto down = outages(segments);
  REQUIRE(down.size() == 1);
  CHECK(down[0] == Interval{fine("2023-01-22 22:30:00"), fine("2023-01-23 00:30:00")});
}

TEST_CASE("segments: overnight hours touching the next day's make one open stretch",
          "[store_timeline]") {
  // 18:00-06:00 and 06:00-18:00 every day: open all the time, so no closed segment.
  auto rows = every_day("18:00", "06:00");
  for (const auto& row : every_day("06:00", "18:00")) rows.push_back(row);
  StoreInput store{"s", hourly_polls("2023-01-17 00:00:00", "2023-01-25 12:00:00"), rows,
                   zone("UTC")};
  const auto segments = week_segments(week_of(store, "2023-01-25 12:00:00"));
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].state == StoreState::up);
}

TEST_CASE("segments add up to the report's figures for the week", "[store_timeline]") {
  std::mt19937 random(42);
  const char* zones[] = {"America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
                         "America/Havana"};
  for (int trial = 0; trial < 200; ++trial) {
    StoreInput store;
    store.zone = zone(zones[trial % 4]);
    for (Instant t = at("2023-03-01 00:00:00"); t < at("2023-03-20 00:00:00");
         t += std::chrono::minutes{40 + random() % 50}) {
      store.polls.push_back({t, random() % 4 != 0});
    }
    for (int day = 0; day < 7; ++day) {
      if (random() % 5 == 0) continue;
      store.hours.push_back(
          {day, std::chrono::seconds{random() % 86400}, std::chrono::seconds{random() % 86400}});
    }
    const Instant now = at("2023-03-15 07:13:00");
    for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
      const auto figures = compute_store_figures(store, now, mode);
      const auto week = store_week(store, now, mode);
      REQUIRE(figures);
      REQUIRE(week);
      HalfMicroseconds up{0}, down{0}, all{0};
      for (const Segment& segment : week_segments(*week)) {
        all += segment.end - segment.begin;
        if (segment.state == StoreState::up) up += segment.end - segment.begin;
        if (segment.state == StoreState::down) down += segment.end - segment.begin;
      }
      CHECK(up == figures->uptime[last_week]);
      CHECK(down == figures->downtime[last_week]);
      CHECK(all == HalfMicroseconds{std::chrono::hours{168}});
    }
  }
}

TEST_CASE("local day starts: a skipped midnight starts at the jump", "[store_timeline]") {
  // Havana springs forward at 00:00 on 2023-03-12: that day begins at 01:00
  // CDT = 05:00 UTC, as does the day before (00:00 CST = 05:00 UTC).
  const auto days = local_day_starts(zone("America/Havana"), fine("2023-03-10 12:00:00"),
                                     fine("2023-03-13 12:00:00"));
  REQUIRE(days.size() == 3);
  CHECK(date::format("%F", days[0].date) == "2023-03-11");
  CHECK(days[0].begins == fine("2023-03-11 05:00:00"));
  CHECK(days[1].begins == fine("2023-03-12 05:00:00"));
  CHECK(days[2].begins == fine("2023-03-13 04:00:00"));
  // Bounds are half-open: a midnight exactly at `to` is not listed, at `from` it is.
  CHECK(local_day_starts(zone("UTC"), fine("2023-01-01 00:00:00"), fine("2023-01-02 00:00:00"))
            .size() == 1);
}

TEST_CASE("local times carry their offset", "[store_timeline]") {
  const auto* new_york = zone("America/New_York");
  // 2023-11-05 01:30 happens twice in New York: first EDT, then EST.
  CHECK(format_local(new_york, fine("2023-11-05 05:30:00")) == "2023-11-05T01:30:00-04:00");
  CHECK(format_local(new_york, fine("2023-11-05 06:30:00")) == "2023-11-05T01:30:00-05:00");
  CHECK(format_local(zone("Asia/Kathmandu"), fine("2023-01-01 00:00:00.9")) ==
        "2023-01-01T05:45:00+05:45");
}

TEST_CASE("store detail JSON: figures as in the report, percent, outages", "[store_detail]") {
  StoreSnapshot snapshot;
  snapshot.input = {
      "s", hourly_polls("2023-01-17 00:00:00", "2023-01-25 23:00:00", {"2023-01-24 17:00:00"}),
      every_day("09:00", "17:00"), zone("America/New_York")};
  snapshot.zone_name = "America/New_York";
  snapshot.as_of = at("2023-01-25 23:00:00");
  const auto body = store_detail_json(snapshot, Interpolation::nearest);
  CHECK(body["has_data"] == true);
  CHECK(body["timezone"] == "America/New_York");
  CHECK(body["hours"].size() == 7);
  CHECK(body["hours"][0]["start"] == "09:00:00");
  // Week: 7 x 8 h open, 1 h down.
  CHECK(body["windows"]["last_week"]["uptime"] == 55.0);
  CHECK(body["windows"]["last_week"]["downtime"] == 1.0);
  CHECK(body["windows"]["last_week"]["business"] == 56.0);
  CHECK(body["windows"]["last_week"]["uptime_percent"] == Approx(98.21));
  // The last hour (22:00-23:00 UTC = 17:00-18:00 local) is closed: no percent.
  CHECK(body["windows"]["last_hour"]["business"] == 0.0);
  CHECK(body["windows"]["last_hour"]["uptime_percent"].is_null());
  REQUIRE(body["outages"].size() == 1);
  CHECK(body["outages"][0]["start"] == "2023-01-24T16:30:00.000000Z");
  CHECK(body["outages"][0]["start_local"] == "2023-01-24T11:30:00-05:00");
  CHECK(body["outages"][0]["duration_seconds"] == 3600.0);
  CHECK(body["timeline"].size() == 17);
  CHECK(body["days"].size() == 7);
}

TEST_CASE("store detail JSON: no poll at or before as_of", "[store_detail]") {
  StoreSnapshot snapshot;
  snapshot.input = {"s", hourly_polls("2023-01-17 00:00:00", "2023-01-18 00:00:00"), {}, nullptr};
  snapshot.as_of = at("2023-01-01 00:00:00");
  auto body = store_detail_json(snapshot, Interpolation::previous);
  CHECK(body["has_data"] == false);
  CHECK(body["windows"].is_null());
  CHECK(body["timeline"].empty());
  CHECK(body["timezone"] == "America/Chicago");
  CHECK(body["timezone_given"] == false);
  CHECK(body["open_24x7"] == true);
  snapshot.as_of.reset();
  body = store_detail_json(snapshot, Interpolation::previous);
  CHECK(body["as_of"].is_null());
  CHECK(body["has_data"] == false);
}
