// rules §7: windows, figures, rounding and the CSV. Each case states its
// arithmetic. 2023-01-23 is a Monday.
#include <catch2/catch.hpp>
#include <random>

#include "core/report.hpp"
#include "support.hpp"

using test::at;
using test::every_day;
using test::hours;
using test::minutes;
using test::tod;
using test::utc;

namespace {

// Polls every hour at :30 from `first` up to (not including) `end`, all with one status.
std::vector<Poll> hourly(const std::string& first, const std::string& end, bool active) {
  std::vector<Poll> polls;
  for (Instant t = at(first); t < at(end); t += std::chrono::hours{1}) polls.push_back({t, active});
  return polls;
}

StoreFigures figures(const StoreInput& store, const std::string& now,
                     Interpolation mode = Interpolation::nearest) {
  auto result = compute_store_figures(store, at(now), mode);
  REQUIRE(result.has_value());
  return *result;
}

}  // namespace

TEST_CASE("24x7 store always active: the full windows", "[report]") {
  StoreInput store{"s", hourly("2023-01-10 00:30:00", "2023-01-25 18:00:00", true), {}, utc()};
  auto f = figures(store, "2023-01-25 18:00:00");
  CHECK(f.uptime[last_hour] == minutes(60));
  CHECK(f.uptime[last_day] == hours(24));
  CHECK(f.uptime[last_week] == hours(168));
  CHECK(f.downtime[last_week] == HalfMicroseconds{0});
}

TEST_CASE("business hours clip every window", "[report]") {
  // Daily 09:00-17:00 UTC, always active, now Wednesday 2023-01-25 12:00.
  StoreInput store{"s", hourly("2023-01-10 00:30:00", "2023-01-25 12:00:00", true),
                   every_day("09:00", "17:00"), utc()};
  auto f = figures(store, "2023-01-25 12:00:00");
  CHECK(f.uptime[last_hour] == minutes(60));  // [11:00, 12:00) is inside 09-17
  CHECK(f.uptime[last_day] == hours(8));      // Tue 12-17 (5 h) + Wed 09-12 (3 h)
  CHECK(f.uptime[last_week] == hours(56));    // Wed 18th 12-17 (5) + 6 days x 8 (48) + 3
  CHECK(f.downtime[last_week] == HalfMicroseconds{0});
}

TEST_CASE("outside business hours nothing counts", "[report]") {
  // Open 09:00-17:00, now 20:00: the last hour is closed, so 0 up and 0 down.
  StoreInput store{"s", hourly("2023-01-20 00:30:00", "2023-01-25 20:00:00", false),
                   every_day("09:00", "17:00"), utc()};
  auto f = figures(store, "2023-01-25 20:00:00");
  CHECK(f.uptime[last_hour] == HalfMicroseconds{0});
  CHECK(f.downtime[last_hour] == HalfMicroseconds{0});
  CHECK(f.downtime[last_day] == hours(8));  // Wed 09-17
}

TEST_CASE("nearest and previous split the hour differently", "[report]") {
  // 24x7, active at 10:00, inactive at 10:40, now 11:00; hour = [10:00, 11:00).
  StoreInput store{
      "s", {{at("2023-01-23 10:00:00"), true}, {at("2023-01-23 10:40:00"), false}}, {}, utc()};
  // nearest: midpoint 10:20 -> up 10:00-10:20 (20 min), down 10:20-11:00 (40 min).
  auto nearest = figures(store, "2023-01-23 11:00:00", Interpolation::nearest);
  CHECK(nearest.uptime[last_hour] == minutes(20));
  CHECK(nearest.downtime[last_hour] == minutes(40));
  // previous: up 10:00-10:40 (40 min), down 10:40-11:00 (20 min).
  auto previous = figures(store, "2023-01-23 11:00:00", Interpolation::previous);
  CHECK(previous.uptime[last_hour] == minutes(40));
  CHECK(previous.downtime[last_hour] == minutes(20));
  // Before the first poll the first status holds: the day [Jan 22 11:00, Jan 23 11:00)
  // is active until 10:20 (nearest) = 23 h 20 min.
  CHECK(nearest.uptime[last_day] == hours(23) + minutes(20));
}

TEST_CASE("polls after now are ignored", "[report]") {
  // Active at 09:00; inactive at 09:40 comes after now (09:30) and must not count.
  // Were it counted, nearest would switch at 09:20 and give 10 min down.
  StoreInput store{
      "s", {{at("2023-01-23 09:00:00"), true}, {at("2023-01-23 09:40:00"), false}}, {}, utc()};
  auto f = figures(store, "2023-01-23 09:30:00");
  CHECK(f.uptime[last_hour] == minutes(60));
  CHECK(f.downtime[last_hour] == HalfMicroseconds{0});
}

TEST_CASE("a store with no poll at or before now is not a row", "[report]") {
  StoreInput store{"s", {{at("2023-01-23 10:00:00"), true}}, {}, utc()};
  CHECK_FALSE(compute_store_figures(store, at("2023-01-23 09:59:59"), Interpolation::nearest));
  CHECK_FALSE(compute_store_figures(StoreInput{"empty", {}, {}, utc()}, at("2023-01-23 09:00:00"),
                                    Interpolation::nearest));
  // A poll exactly at now counts.
  CHECK(compute_store_figures(store, at("2023-01-23 10:00:00"), Interpolation::nearest));
}

TEST_CASE("a store whose only poll is before the week: that status all week", "[report]") {
  // Inactive 200 h before now; business 09-17 daily: the week holds 7 x 8 = 56 h down.
  StoreInput store{"s", {{at("2023-01-17 10:00:00"), false}}, every_day("09:00", "17:00"), utc()};
  auto f = figures(store, "2023-01-25 18:00:00");
  CHECK(f.downtime[last_week] == hours(56));
  CHECK(f.uptime[last_week] == HalfMicroseconds{0});
}

TEST_CASE("overnight hours crossing the day window's start", "[report]") {
  // Monday 22:00 - Tuesday 02:00 only. Now Wed 2023-01-25 01:00: the day window
  // [Tue 01:00, Wed 01:00) holds Tue 01:00-02:00 = 1 h; the last hour is closed.
  StoreInput store{"s",
                   hourly("2023-01-18 00:30:00", "2023-01-25 01:00:00", true),
                   {{0, tod("22:00"), tod("02:00")}},
                   utc()};
  auto f = figures(store, "2023-01-25 01:00:00");
  CHECK(f.uptime[last_hour] == HalfMicroseconds{0});
  CHECK(f.uptime[last_day] == hours(1));
  CHECK(f.uptime[last_week] == hours(4));  // Mon 23rd 22:00 - Tue 02:00
}

TEST_CASE("end == start and a day without rows", "[report]") {
  // Wednesday 06:00-06:00 is Wed 06:00 - Thu 06:00; no other day has rows.
  StoreInput store{"s",
                   hourly("2023-01-16 00:30:00", "2023-01-29 00:00:00", true),
                   {{2, tod("06:00"), tod("06:00")}},
                   utc()};
  auto f = figures(store, "2023-01-29 00:00:00");  // Sunday midnight
  CHECK(f.uptime[last_week] == hours(24));
  CHECK(f.uptime[last_day] == HalfMicroseconds{0});
}

TEST_CASE("overlapping shifts count once", "[report]") {
  // 09-13 and 11-17 on Monday: 8 h of business, not 10.
  StoreInput store{"s",
                   hourly("2023-01-20 00:30:00", "2023-01-24 00:00:00", true),
                   {{0, tod("09:00"), tod("13:00")}, {0, tod("11:00"), tod("17:00")}},
                   utc()};
  auto f = figures(store, "2023-01-24 00:00:00");
  CHECK(f.uptime[last_day] == hours(8));
}

TEST_CASE("a week holding the US spring forward (New York)", "[report]") {
  // Sundays 00:00-04:00. On 2023-03-12, 00:00 EST = 05:00Z and 04:00 EDT = 08:00Z: 3 h.
  // The week window is 168 elapsed hours; a 24x7 store gets all of them.
  const auto* ny = date::locate_zone("America/New_York");
  StoreInput sunday{"s",
                    hourly("2023-03-01 00:30:00", "2023-03-15 00:00:00", true),
                    {{6, tod("00:00"), tod("04:00")}},
                    ny};
  CHECK(figures(sunday, "2023-03-15 00:00:00").uptime[last_week] == hours(3));
  StoreInput always{"a", sunday.polls, {}, ny};
  CHECK(figures(always, "2023-03-15 00:00:00").uptime[last_week] == hours(168));
}

TEST_CASE("a week holding the US fall back (New York)", "[report]") {
  // Sundays 00:00-04:00. On 2023-11-05, 00:00 EDT = 04:00Z and 04:00 EST = 09:00Z: 5 h.
  const auto* ny = date::locate_zone("America/New_York");
  StoreInput sunday{"s",
                    hourly("2023-10-25 00:30:00", "2023-11-08 00:00:00", false),
                    {{6, tod("00:00"), tod("04:00")}},
                    ny};
  CHECK(figures(sunday, "2023-11-08 00:00:00").downtime[last_week] == hours(5));
}

TEST_CASE("Lord Howe's half-hour shift inside the week", "[report]") {
  // Sunday 2023-10-01 00:00-04:00: 00:00 +10:30 = Sep 30 13:30Z, 04:00 +11:00 = 17:00Z: 3.5 h.
  StoreInput store{"s",
                   hourly("2023-09-20 00:30:00", "2023-10-04 00:00:00", true),
                   {{6, tod("00:00"), tod("04:00")}},
                   date::locate_zone("Australia/Lord_Howe")};
  CHECK(figures(store, "2023-10-04 00:00:00").uptime[last_week] == hours(3.5));
}

TEST_CASE("Kathmandu (+05:45) windows", "[report]") {
  // Daily 09:00-17:00 local; now 2023-01-25 06:00Z = 11:45 local.
  // Hour: 10:45-11:45 local, all open: 60 min. Day: Jan 24 11:45-17:00 (5.25 h)
  // + Jan 25 09:00-11:45 (2.75 h) = 8 h.
  StoreInput store{"s", hourly("2023-01-15 00:30:00", "2023-01-25 06:00:00", true),
                   every_day("09:00", "17:00"), date::locate_zone("Asia/Kathmandu")};
  auto f = figures(store, "2023-01-25 06:00:00");
  CHECK(f.uptime[last_hour] == minutes(60));
  CHECK(f.uptime[last_day] == hours(8));
}

TEST_CASE("a store without a zone uses America/Chicago", "[report]") {
  // Monday 09:00-10:00 Chicago = 15:00-16:00Z.
  StoreInput store{
      "s", {{at("2023-01-23 12:00:00"), true}}, {{0, tod("09:00"), tod("10:00")}}, nullptr};
  auto f = figures(store, "2023-01-23 16:00:00");
  CHECK(f.uptime[last_hour] == minutes(60));
}

TEST_CASE("figures round half away from zero to two decimals", "[report]") {
  // 0.005 min = 0.3 s exactly: rounds up to 0.01. Just below stays 0.00.
  CHECK(format_figure(minutes(0.005), last_hour) == "0.01");
  CHECK(format_figure(minutes(0.005) - HalfMicroseconds{1}, last_hour) == "0.00");
  // 0.015 h = 54 s: 0.02 (binary floating point would give 0.01).
  CHECK(format_figure(HalfMicroseconds{54LL * 2000000}, last_day) == "0.02");
  CHECK(format_figure(HalfMicroseconds{1005LL * 36 * 2000000 / 10}, last_day) ==
        "1.01");  // 1.005 h
  CHECK(format_figure(hours(23.5), last_day) == "23.50");
  CHECK(format_figure(minutes(60), last_hour) == "60.00");
  CHECK(format_figure(hours(168), last_week) == "168.00");
  CHECK(format_figure(HalfMicroseconds{0}, last_week) == "0.00");
  CHECK(format_figure(-minutes(0.005), last_hour) == "-0.01");
  std::string text = "x,";  // as the CSV appends them
  append_hundredths(text, -12345);
  append_hundredths(text, 1234567890123);
  CHECK(text == "x,-123.4512345678901.23");
}

TEST_CASE("the CSV: header, rows as given, quoting, LF line ends", "[report]") {
  Report report;
  // In the report's order (the builder's, see test_report_builder).
  for (const char* id : {"B", "a", "a,1", "b", "caf\xC3\xA9", "q\"4"}) {
    StoreFigures row;
    row.store_id = id;
    row.uptime = {minutes(60), hours(23.5), hours(100)};
    row.downtime = {minutes(0), hours(0.5), hours(0.25)};
    test::window_rows(report).push_back(row);
  }
  const std::string expected =
      "store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,"
      "downtime_last_day,downtime_last_week\n"
      "B,60.00,23.50,100.00,0.00,0.50,0.25\n"
      "a,60.00,23.50,100.00,0.00,0.50,0.25\n"
      "\"a,1\",60.00,23.50,100.00,0.00,0.50,0.25\n"
      "b,60.00,23.50,100.00,0.00,0.50,0.25\n"
      "caf\xC3\xA9,60.00,23.50,100.00,0.00,0.50,0.25\n"
      "\"q\"\"4\",60.00,23.50,100.00,0.00,0.50,0.25\n";
  CHECK(report_csv(report) == expected);
}

TEST_CASE("property: up + down equals business time in every window, exactly (special dates too)",
          "[report][property]") {
  const char* zones[] = {"America/New_York", "America/Chicago",  "Australia/Lord_Howe",
                         "Asia/Kathmandu",   "America/Havana",   "Europe/London",
                         "Pacific/Chatham",  "America/Santiago", "UTC"};
  std::mt19937_64 random(20231105);
  auto below = [&](std::uint64_t n) { return static_cast<std::int64_t>(random() % n); };
  const Instant base = at("2023-01-01 00:00:00");
  constexpr int kStores = 3000;
  for (int i = 0; i < kStores; ++i) {
    StoreInput store;
    store.store_id = "s" + std::to_string(i);
    store.zone = date::locate_zone(zones[below(std::size(zones))]);
    const auto row_count = below(12);
    for (int r = 0; r < row_count; ++r) {
      store.hours.push_back({static_cast<int>(below(7)), std::chrono::seconds{below(86400)},
                             std::chrono::seconds{below(86400)}});
    }
    // Some time in 2023 (covering every DST change), polls around it.
    const Instant now = base + std::chrono::microseconds{below(365LL * 86400 * 1000000)};
    // Half the stores have special dates around the week (rules §6): closed,
    // or up to three shifts, closed rows among them.
    if (below(2) == 0) {
      const auto first = date::floor<date::days>(now) - date::days{9};
      for (int offset = 0; offset < 11; ++offset) {
        if (below(3) != 0) continue;
        SpecialDate day{date::local_days{(first + date::days{offset}).time_since_epoch()}, {}};
        const auto rows = below(4);
        for (int r = 0; r <= rows; ++r) {
          day.rows.push_back({rows == 0 || below(4) == 0, std::chrono::seconds{below(86400)},
                              std::chrono::seconds{below(86400)}});
        }
        store.special.push_back(day);
      }
    }
    const auto poll_count = 1 + below(300);
    Instant t = now - std::chrono::hours{200} + std::chrono::microseconds{below(3600LL * 1000000)};
    for (int p = 0; p < poll_count; ++p) {
      store.polls.push_back({t, below(4) != 0});
      t += std::chrono::microseconds{1 + below(2 * 3600LL * 1000000)};
    }
    for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
      auto f = compute_store_figures(store, now, mode);
      if (!f) continue;  // every poll after now
      for (std::size_t w = 0; w < kWindowCount; ++w) {
        const FineInstant end = now;
        const FineInstant begin = end - window_length(static_cast<Window>(w));
        HalfMicroseconds business{0};
        for (const auto& open :
             business_intervals(store.hours, store.special, store.zone, begin, end)) {
          business += open.length();
        }
        INFO(store.store_id << " window " << w << " zone " << store.zone->name());
        REQUIRE(f->uptime[w] + f->downtime[w] == business);
        REQUIRE(f->uptime[w] >= HalfMicroseconds{0});
        REQUIRE(f->downtime[w] >= HalfMicroseconds{0});
        REQUIRE(business <= end - begin);
      }
    }
  }
}
