// rules §7: periods, worked by hand — local dates over daylight-saving days
// (23 h and 25 h), a skipped midnight (Havana), periods partly and wholly
// after now, a UTC period cutting a business interval, the limits, the CSV,
// and day-by-day figures that add up to the period's.
#include <catch2/catch.hpp>

#include "core/period.hpp"
#include "support.hpp"

using test::at;
using test::fine;
using test::hours;
using test::tod;
using test::zone;

namespace {

date::local_days day(int y, unsigned m, unsigned d) {
  return date::local_days{date::year{y} / m / d};
}

// Active polls every hour on the hour, UTC, from `first` to `last` inclusive.
std::vector<Poll> hourly(const std::string& first, const std::string& last) {
  std::vector<Poll> polls;
  for (Instant t = at(first); t <= at(last); t += std::chrono::hours{1}) polls.push_back({t, true});
  return polls;
}

PeriodFigures figures(const StoreInput& store, const std::string& now, const Period& period,
                      const StatusRules& rules = {}) {
  const auto result = compute_period_figures(store, at(now), rules, period);
  REQUIRE(result.has_value());
  return *result;
}

}  // namespace

TEST_CASE("date periods: a spring-forward day has 23 hours, a fall-back day 25", "[period]") {
  // A 24x7 New York store; 2023-03-12 loses an hour, 2023-11-05 gains one.
  StoreInput store{
      "s", hourly("2023-03-01 00:00:00", "2023-11-30 00:00:00"), {}, zone("America/New_York")};
  const auto spring =
      figures(store, "2023-11-30 00:00:00", DatePeriod{day(2023, 3, 12), day(2023, 3, 12)});
  CHECK(spring.period.begin == fine("2023-03-12 05:00:00"));  // midnight EST
  CHECK(spring.period.end == fine("2023-03-13 04:00:00"));    // midnight EDT
  CHECK(spring.business == hours(23));
  CHECK(spring.uptime == hours(23));
  const auto fall =
      figures(store, "2023-11-30 00:00:00", DatePeriod{day(2023, 11, 5), day(2023, 11, 5)});
  CHECK(fall.business == hours(25));
  // Three dates around the fall-back day: 24 + 25 + 24 hours.
  const auto three =
      figures(store, "2023-11-30 00:00:00", DatePeriod{day(2023, 11, 4), day(2023, 11, 6)});
  CHECK(three.business == hours(24 + 25 + 24));
}

TEST_CASE("date periods: a skipped midnight starts the day at the jump (Havana)", "[period]") {
  // Cuba moves clocks from 00:00 to 01:00 on 2023-03-12: that local date starts
  // at the jump, 05:00 UTC, and is 23 hours long; the 11th ends there too.
  StoreInput store{
      "s", hourly("2023-03-01 00:00:00", "2023-03-20 00:00:00"), {}, zone("America/Havana")};
  const auto skipped =
      figures(store, "2023-03-20 00:00:00", DatePeriod{day(2023, 3, 12), day(2023, 3, 12)});
  CHECK(skipped.period.begin == fine("2023-03-12 05:00:00"));
  CHECK(skipped.period.end == fine("2023-03-13 04:00:00"));
  CHECK(skipped.business == hours(23));
  const auto before =
      figures(store, "2023-03-20 00:00:00", DatePeriod{day(2023, 3, 11), day(2023, 3, 11)});
  CHECK(before.period.end == fine("2023-03-12 05:00:00"));
  CHECK(before.business == hours(24));
}

TEST_CASE("periods are clipped at now", "[period]") {
  StoreInput store{"s", hourly("2023-01-20 00:00:00", "2023-01-25 12:00:00"), {}, zone("UTC")};
  SECTION("partly after now: it ends at now") {
    const auto f =
        figures(store, "2023-01-25 12:00:00", DatePeriod{day(2023, 1, 24), day(2023, 1, 26)});
    CHECK(f.period.begin == fine("2023-01-24 00:00:00"));
    CHECK(f.period.end == fine("2023-01-25 12:00:00"));
    CHECK(f.business == hours(36));
  }
  SECTION("wholly after now: zero length, start = end = its own start, no percent") {
    const auto f = figures(store, "2023-01-25 12:00:00",
                           UtcPeriod{at("2023-02-01 00:00:00"), at("2023-02-02 00:00:00")});
    CHECK(f.period.begin == fine("2023-02-01 00:00:00"));
    CHECK(f.period.end == f.period.begin);
    CHECK(f.business == HalfMicroseconds{0});
    CHECK(uptime_percent_text(f.uptime, f.downtime).empty());
  }
  SECTION("a store whose polls are all after now is not a row") {
    CHECK_FALSE(compute_period_figures(store, at("2023-01-19 00:00:00"), {},
                                       DatePeriod{day(2023, 1, 18), day(2023, 1, 18)}));
  }
}

TEST_CASE("a UTC period cuts a business interval in two", "[period]") {
  // Open 09:00-17:00 UTC daily; the period [2023-01-24 12:00, 2023-01-25 10:00)
  // holds 12:00-17:00 of the 24th and 09:00-10:00 of the 25th. Inactive from
  // the 25th 09:00 on (the midpoint after the 08:00 poll is 08:30).
  std::vector<WeeklyHoursRow> rows;
  for (int d = 0; d < 7; ++d) rows.push_back({d, tod("09:00"), tod("17:00")});
  auto polls = hourly("2023-01-20 00:00:00", "2023-01-25 08:00:00");
  for (Instant t = at("2023-01-25 09:00:00"); t <= at("2023-01-25 12:00:00");
       t += std::chrono::hours{1}) {
    polls.push_back({t, false});
  }
  StoreInput store{"s", polls, rows, zone("UTC")};
  const auto f = figures(store, "2023-01-25 12:00:00",
                         UtcPeriod{at("2023-01-24 12:00:00"), at("2023-01-25 10:00:00")});
  CHECK(f.business == hours(6));
  CHECK(f.uptime == hours(5));
  CHECK(f.downtime == hours(1));
  CHECK(uptime_percent_text(f.uptime, f.downtime) == "83.33");
}

TEST_CASE("a period ending before now sees the first poll after it", "[period]") {
  // 24x7 UTC store: up at 10:00, down at 12:00 (after the period's end,
  // before now). nearest: down from the midpoint 11:00 inside the period.
  StoreInput store{"s",
                   {{at("2023-01-24 10:00:00"), true}, {at("2023-01-24 12:00:00"), false}},
                   {},
                   zone("UTC")};
  const UtcPeriod period{at("2023-01-24 10:00:00"), at("2023-01-24 11:30:00")};
  const auto nearest = figures(store, "2023-01-24 12:00:00", period);
  CHECK(nearest.uptime == hours(1));
  CHECK(nearest.downtime == hours(0.5));
  const auto previous = figures(store, "2023-01-24 12:00:00", period, Interpolation::previous);
  CHECK(previous.uptime == hours(1.5));
  // With max_gap 1h (nearest): known 09:30-10:30 up and 11:30-12:30 down.
  const auto gap = figures(store, "2023-01-24 12:00:00", period,
                           StatusRules{Interpolation::nearest, std::chrono::hours{1}});
  CHECK(gap.uptime == hours(0.5));
  CHECK(gap.unknown == hours(1));
  CHECK(gap.downtime == HalfMicroseconds{0});
}

TEST_CASE("period limits and forms", "[period]") {
  const Instant t = at("2023-01-01 00:00:00");
  CHECK(period_problem(UtcPeriod{t, t + date::days{400}}).empty());
  CHECK_FALSE(
      period_problem(UtcPeriod{t, t + date::days{400} + std::chrono::microseconds{1}}).empty());
  CHECK_FALSE(period_problem(UtcPeriod{t, t}).empty());
  CHECK(period_problem(DatePeriod{day(2023, 1, 1), day(2023, 1, 1)}).empty());
  CHECK(period_problem(DatePeriod{day(2023, 1, 1), day(2023, 1, 1) + date::days{399}}).empty());
  CHECK_FALSE(
      period_problem(DatePeriod{day(2023, 1, 1), day(2023, 1, 1) + date::days{400}}).empty());
  CHECK_FALSE(period_problem(DatePeriod{day(2023, 1, 2), day(2023, 1, 1)}).empty());

  CHECK_FALSE(choose_period({}, {}, {}, {}).period);
  CHECK(choose_period({}, {}, {}, {}).problem.empty());
  CHECK(choose_period(t, {}, {}, {}).problem == "'from' and 'to' come together");
  CHECK(choose_period({}, {}, {}, day(2023, 1, 1)).problem ==
        "'from_date' and 'to_date' come together");
  CHECK(choose_period(t, t + date::days{1}, day(2023, 1, 1), day(2023, 1, 1))
            .problem.find("not both") != std::string::npos);
  CHECK(std::holds_alternative<DatePeriod>(
      *choose_period({}, {}, day(2023, 1, 1), day(2023, 1, 2)).period));
}

TEST_CASE("period CSV: its own columns, unknown_hours with max_gap, empty percent", "[period]") {
  PeriodFigures row;
  row.store_id = "a,b";
  row.period = {fine("2023-01-24 00:00:00"), fine("2023-01-25 00:00:00")};
  row.business = hours(8);
  row.uptime = hours(7.5);
  row.downtime = hours(0.25);
  row.unknown = hours(0.25);
  PeriodFigures closed;
  closed.store_id = "c";
  closed.period = {fine("2023-01-26 00:00:00"), fine("2023-01-26 00:00:00")};
  CHECK(period_csv({row, closed}, false) ==
        "store_id,period_start,period_end,business_hours,uptime_hours,downtime_hours,"
        "uptime_percent\n"
        "\"a,b\",2023-01-24T00:00:00.000000Z,2023-01-25T00:00:00.000000Z,8.00,7.50,0.25,96.77\n"
        "c,2023-01-26T00:00:00.000000Z,2023-01-26T00:00:00.000000Z,0.00,0.00,0.00,\n");
  CHECK(period_csv({row}, true) ==
        "store_id,period_start,period_end,business_hours,uptime_hours,downtime_hours,"
        "unknown_hours,uptime_percent\n"
        "\"a,b\",2023-01-24T00:00:00.000000Z,2023-01-25T00:00:00.000000Z,8.00,7.50,0.25,0.25,"
        "96.77\n");
}

TEST_CASE("days: each date's figures, special dates marked, summing to the period", "[period]") {
  // New York, open 09:00-17:00; a closed special date on the 22nd; one
  // inactive poll. The days of the 20th-24th add up to that date period.
  std::vector<WeeklyHoursRow> rows;
  for (int d = 0; d < 7; ++d) rows.push_back({d, tod("09:00"), tod("17:00")});
  auto polls = hourly("2023-01-18 00:00:00", "2023-01-25 23:00:00");
  for (auto& poll : polls) poll.active = poll.at != at("2023-01-23 16:00:00");
  StoreInput store{"s", polls, rows, zone("America/New_York")};
  store.special.push_back({day(2023, 1, 22), {{true, {}, {}}}});
  const Instant now = at("2023-01-25 23:00:00");
  const auto days = daily_figures(store, now, {}, day(2023, 1, 20), day(2023, 1, 24));
  REQUIRE(days.size() == 5);
  CHECK(days[2].special);
  CHECK(days[2].figures.business == HalfMicroseconds{0});
  CHECK_FALSE(days[3].special);
  CHECK(days[3].figures.downtime == hours(1));  // 15:30-16:30 UTC, 10:30-11:30 local
  HalfMicroseconds business{0}, up{0}, down{0};
  for (const auto& d : days) {
    business += d.figures.business;
    up += d.figures.uptime;
    down += d.figures.downtime;
  }
  const auto whole =
      *compute_period_figures(store, now, {}, DatePeriod{day(2023, 1, 20), day(2023, 1, 24)});
  CHECK(business == whole.business);
  CHECK(business == hours(32));
  CHECK(up == whole.uptime);
  CHECK(down == whole.downtime);
}
