// rules §3: weekly local hours as UTC intervals. Each expectation carries its
// arithmetic. Weekdays: 2023-01-23 is a Monday (day 0).
#include <catch2/catch.hpp>

#include "core/business_hours.hpp"
#include "support.hpp"

using test::at;
using test::tod;
using test::zone;

namespace {

std::vector<Interval> expand(const std::vector<WeeklyHoursRow>& hours, const char* zone_name,
                             const std::string& from, const std::string& to) {
  return business_intervals(hours, zone(zone_name), at(from), at(to));
}

Interval interval(const std::string& begin, const std::string& end) {
  return {at(begin), at(end)};
}

}  // namespace

TEST_CASE("no rows: open 24x7 over the whole range", "[business_hours]") {
  auto open = expand({}, "America/Chicago", "2023-01-20 00:00:00", "2023-01-27 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-20 00:00:00", "2023-01-27 00:00:00"));
}

TEST_CASE("a day shift in Chicago (UTC-6 in January)", "[business_hours]") {
  // Monday 09:00-17:00 CST = 15:00-23:00 UTC.
  auto open = expand({{0, tod("09:00"), tod("17:00")}}, "America/Chicago", "2023-01-23 00:00:00",
                     "2023-01-24 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-23 15:00:00", "2023-01-23 23:00:00"));
}

TEST_CASE("every week has the row again, other days are closed", "[business_hours]") {
  // Monday only, over two weeks: Mondays 23 and 30 January.
  auto open = expand({{0, tod("09:00"), tod("17:00")}}, "UTC", "2023-01-22 00:00:00",
                     "2023-02-05 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-23 09:00:00", "2023-01-23 17:00:00"));
  CHECK(open[1] == interval("2023-01-30 09:00:00", "2023-01-30 17:00:00"));
}

TEST_CASE("overnight hours close the next local day, even across the range start",
          "[business_hours]") {
  // Monday 22:00 - Tuesday 02:00. The range starts Tuesday 00:00, so only the
  // part after midnight of the interval opened the day before is inside.
  auto open = expand({{0, tod("22:00"), tod("02:00")}}, "UTC", "2023-01-24 00:00:00",
                     "2023-01-25 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-24 00:00:00", "2023-01-24 02:00:00"));
}

TEST_CASE("end == start is open 24 hours from the start", "[business_hours]") {
  // Wednesday (day 2) 06:00 -> Thursday 06:00.
  auto open = expand({{2, tod("06:00"), tod("06:00")}}, "UTC", "2023-01-23 00:00:00",
                     "2023-01-30 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-25 06:00:00", "2023-01-26 06:00:00"));
}

TEST_CASE("overlapping and touching rows merge", "[business_hours]") {
  // 09-12 and 11-14 overlap, 14-15 touches: one interval 09-15. 16-17 stays apart.
  auto open = expand({{0, tod("09:00"), tod("12:00")},
                      {0, tod("11:00"), tod("14:00")},
                      {0, tod("14:00"), tod("15:00")},
                      {0, tod("16:00"), tod("17:00")}},
                     "UTC", "2023-01-23 00:00:00", "2023-01-24 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-23 09:00:00", "2023-01-23 15:00:00"));
  CHECK(open[1] == interval("2023-01-23 16:00:00", "2023-01-23 17:00:00"));
}

TEST_CASE("an overnight row touching the next day's row merges with it", "[business_hours]") {
  // Monday 20:00-00:00 (end < start: closes Tuesday 00:00) and Tuesday 00:00-02:00.
  auto open = expand({{0, tod("20:00"), tod("00:00")}, {1, tod("00:00"), tod("02:00")}}, "UTC",
                     "2023-01-23 00:00:00", "2023-01-25 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-23 20:00:00", "2023-01-24 02:00:00"));
}

TEST_CASE("23:59 and 23:59:59 are taken literally", "[business_hours]") {
  // 00:00-23:59 leaves 23:59-24:00 closed; 00:00-23:59:59 leaves one second.
  auto open = expand({{0, tod("00:00"), tod("23:59")}, {1, tod("00:00"), tod("23:59:59")}}, "UTC",
                     "2023-01-23 00:00:00", "2023-01-25 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-23 00:00:00", "2023-01-23 23:59:00"));
  CHECK(open[1] == interval("2023-01-24 00:00:00", "2023-01-24 23:59:59"));
}

TEST_CASE("US spring forward in New York: skipped times map to the jump", "[business_hours]") {
  // Sunday 2023-03-12 (day 6): 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
  // 01:00-04:00: 01:00 EST (UTC-5) = 06:00Z, 04:00 EDT (UTC-4) = 08:00Z: 2 h, not 3.
  auto open = expand({{6, tod("01:00"), tod("04:00")}}, "America/New_York", "2023-03-12 00:00:00",
                     "2023-03-13 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-03-12 06:00:00", "2023-03-12 08:00:00"));

  // 02:30 does not exist: it maps to the jump, 07:00Z; 03:30 EDT = 07:30Z.
  open = expand({{6, tod("02:30"), tod("03:30")}}, "America/New_York", "2023-03-12 00:00:00",
                "2023-03-13 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-03-12 07:00:00", "2023-03-12 07:30:00"));

  // 02:10-02:50 lies wholly in the gap: both ends map to 07:00Z, nothing is open.
  open = expand({{6, tod("02:10"), tod("02:50")}}, "America/New_York", "2023-03-12 00:00:00",
                "2023-03-13 00:00:00");
  CHECK(open.empty());
}

TEST_CASE("US fall back in New York: repeated times take the first occurrence",
          "[business_hours]") {
  // Sunday 2023-11-05: 02:00 EDT falls back to 01:00 EST at 06:00 UTC.
  // 00:00-03:00: 00:00 EDT = 04:00Z, 03:00 EST = 08:00Z: 4 h, not 3.
  auto open = expand({{6, tod("00:00"), tod("03:00")}}, "America/New_York", "2023-11-05 00:00:00",
                     "2023-11-06 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-11-05 04:00:00", "2023-11-05 08:00:00"));

  // 01:30-01:45 happens twice; the first occurrence (EDT, UTC-4) counts: 05:30Z-05:45Z.
  open = expand({{6, tod("01:30"), tod("01:45")}}, "America/New_York", "2023-11-05 00:00:00",
                "2023-11-06 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-11-05 05:30:00", "2023-11-05 05:45:00"));

  // 01:30-02:00: 01:30 EDT = 05:30Z; 02:00 exists once, in EST = 07:00Z: 1.5 h.
  open = expand({{6, tod("01:30"), tod("02:00")}}, "America/New_York", "2023-11-05 00:00:00",
                "2023-11-06 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-11-05 05:30:00", "2023-11-05 07:00:00"));
}

TEST_CASE("Lord Howe's 30-minute daylight saving shift", "[business_hours]") {
  // Sunday 2023-10-01, Australia/Lord_Howe: 02:00 (+10:30) jumps to 02:30 (+11:00),
  // at 2023-09-30 15:30Z. 01:00-04:00: 01:00 +10:30 = 14:30Z; 04:00 +11:00 = 17:00Z: 2.5 h.
  auto open = expand({{6, tod("01:00"), tod("04:00")}}, "Australia/Lord_Howe",
                     "2023-09-30 00:00:00", "2023-10-02 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-09-30 14:30:00", "2023-09-30 17:00:00"));

  // 02:10 lies in the 30-minute gap and maps to the jump (15:30Z); 03:00 +11:00 = 16:00Z.
  open = expand({{6, tod("02:10"), tod("03:00")}}, "Australia/Lord_Howe", "2023-09-30 00:00:00",
                "2023-10-02 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-09-30 15:30:00", "2023-09-30 16:00:00"));
}

TEST_CASE("Kathmandu's +05:45 offset", "[business_hours]") {
  // Monday 2023-01-23 09:00-17:00 +05:45 = 03:15Z-11:15Z.
  auto open = expand({{0, tod("09:00"), tod("17:00")}}, "Asia/Kathmandu", "2023-01-23 00:00:00",
                     "2023-01-24 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-23 03:15:00", "2023-01-23 11:15:00"));
}

TEST_CASE("a zone whose clocks change at midnight", "[business_hours]") {
  // America/Havana, Sunday 2023-03-12: 00:00 CST (-5) jumps to 01:00 CDT (-4) at 05:00Z.
  // 00:00-02:00: 00:00 does not exist -> 05:00Z; 02:00 CDT = 06:00Z: 1 h.
  auto open = expand({{6, tod("00:00"), tod("02:00")}}, "America/Havana", "2023-03-11 00:00:00",
                     "2023-03-14 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-03-12 05:00:00", "2023-03-12 06:00:00"));
}

TEST_CASE("local weekdays follow the store's calendar, not UTC's", "[business_hours]") {
  // Monday 20:00-23:00 in Los Angeles (UTC-8) is Tuesday 04:00-07:00 UTC.
  auto open = expand({{0, tod("20:00"), tod("23:00")}}, "America/Los_Angeles",
                     "2023-01-23 00:00:00", "2023-01-25 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-24 04:00:00", "2023-01-24 07:00:00"));
}

TEST_CASE("intervals are clipped to the range", "[business_hours]") {
  auto open = expand({{0, tod("09:00"), tod("17:00")}}, "UTC", "2023-01-23 10:00:00",
                     "2023-01-23 12:30:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-23 10:00:00", "2023-01-23 12:30:00"));
  CHECK(
      expand({{0, tod("09:00"), tod("17:00")}}, "UTC", "2023-01-23 17:00:00", "2023-01-23 18:00:00")
          .empty());
}

TEST_CASE("the default zone is America/Chicago", "[business_hours]") {
  CHECK(default_zone()->name() == "America/Chicago");
}
