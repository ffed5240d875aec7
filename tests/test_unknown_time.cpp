// rules §5: unknown time with max_gap, for both interpolations, worked by
// hand; and the property up + down + unknown == business, exactly, for
// random stores. 2023-01-23 is a Monday; stores are in UTC unless said.
#include <catch2/catch.hpp>
#include <random>

#include "core/report.hpp"
#include "core/store_timeline.hpp"
#include "support.hpp"

using test::at;
using test::fine;
using test::hours;
using test::minutes;
using test::tod;
using test::utc;

namespace {

StatusRules rules(Interpolation interpolation, std::chrono::seconds max_gap) {
  return StatusRules{interpolation, max_gap};
}

// Total length of each status among `spans`.
HalfMicroseconds total(const std::vector<StatusSpan>& spans, StoreStatus status) {
  HalfMicroseconds sum{0};
  for (const auto& span : spans) {
    if (span.status == status) sum += span.length();
  }
  return sum;
}

StoreFigures figures(const StoreInput& store, const std::string& now, const StatusRules& rules) {
  auto result = compute_store_figures(store, at(now), rules);
  REQUIRE(result.has_value());
  return *result;
}

}  // namespace

TEST_CASE("max_gap: polls at 08:00 and 20:00 leave the middle of the day unknown", "[unknown]") {
  const std::vector<Poll> polls = {{at("2023-01-23 08:00:00"), true},
                                   {at("2023-01-23 20:00:00"), false}};
  SECTION("nearest, 2h: each poll speaks for one hour on each side") {
    const auto spans = status_timeline(polls, rules(Interpolation::nearest, std::chrono::hours{2}),
                                       test::kMonday, test::kMondayEnd);
    REQUIRE(spans.size() == 5);
    CHECK(spans[0].status == StoreStatus::unknown);  // [00:00, 07:00)
    CHECK(spans[0].end == fine("2023-01-23 07:00:00"));
    CHECK(spans[1].status == StoreStatus::active);  // [07:00, 09:00)
    CHECK(spans[1].end == fine("2023-01-23 09:00:00"));
    CHECK(spans[2].status == StoreStatus::unknown);  // [09:00, 19:00): across the midpoint
    CHECK(spans[2].end == fine("2023-01-23 19:00:00"));
    CHECK(spans[3].status == StoreStatus::inactive);  // [19:00, 21:00)
    CHECK(spans[3].end == fine("2023-01-23 21:00:00"));
    CHECK(spans[4].status == StoreStatus::unknown);  // [21:00, 24:00): after the last poll
    CHECK(spans[4].end == test::kMondayEnd);
  }
  SECTION("previous, 2h: each poll speaks for two hours after itself") {
    const auto spans = status_timeline(polls, rules(Interpolation::previous, std::chrono::hours{2}),
                                       test::kMonday, test::kMondayEnd);
    REQUIRE(spans.size() == 5);
    CHECK(spans[0].status == StoreStatus::unknown);  // [00:00, 08:00): before the first poll
    CHECK(spans[0].end == fine("2023-01-23 08:00:00"));
    CHECK(spans[1].status == StoreStatus::active);   // [08:00, 10:00)
    CHECK(spans[2].status == StoreStatus::unknown);  // [10:00, 20:00)
    CHECK(spans[2].end == fine("2023-01-23 20:00:00"));
    CHECK(spans[3].status == StoreStatus::inactive);  // [20:00, 22:00)
    CHECK(spans[3].end == fine("2023-01-23 22:00:00"));
    CHECK(spans[4].status == StoreStatus::unknown);  // [22:00, 24:00)
  }
  SECTION("without max_gap every instant has a status, as before") {
    const auto spans =
        status_timeline(polls, Interpolation::nearest, test::kMonday, test::kMondayEnd);
    REQUIRE(spans.size() == 2);
    CHECK(total(spans, StoreStatus::unknown) == HalfMicroseconds{0});
    CHECK(spans[0].end == fine("2023-01-23 14:00:00"));
  }
}

TEST_CASE("max_gap: a gap exactly max_gap wide is fully covered", "[unknown]") {
  const std::vector<Poll> polls = {{at("2023-01-23 10:00:00"), true},
                                   {at("2023-01-23 12:00:00"), false}};
  const FineInstant from = fine("2023-01-23 10:00:00");
  const FineInstant to = fine("2023-01-23 12:00:00");
  for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
    const auto spans = status_timeline(polls, rules(mode, std::chrono::hours{2}), from, to);
    CHECK(total(spans, StoreStatus::unknown) == HalfMicroseconds{0});
    CHECK(total(spans, StoreStatus::active) + total(spans, StoreStatus::inactive) == to - from);
  }
  // One second wider: a hole of one second (nearest: 11:00:00 to 11:00:01,
  // around the midpoint; previous: the last second before the second poll).
  const std::vector<Poll> wider = {{at("2023-01-23 10:00:00"), true},
                                   {at("2023-01-23 12:00:01"), false}};
  for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
    const auto spans =
        status_timeline(wider, rules(mode, std::chrono::hours{2}), test::kMonday, test::kMondayEnd);
    const auto hole = std::find_if(spans.begin(), spans.end(), [](const StatusSpan& span) {
      return span.status == StoreStatus::unknown && span.begin > fine("2023-01-23 10:00:00");
    });
    REQUIRE(hole != spans.end());
    CHECK(hole->length() == std::chrono::seconds{1});
    CHECK(hole->begin ==
          fine(mode == Interpolation::nearest ? "2023-01-23 11:00:00" : "2023-01-23 12:00:00"));
  }
}

TEST_CASE("max_gap: edges and midpoints on half microseconds are exact", "[unknown]") {
  // Polls max_gap + 1 µs apart: the midpoint is half a microsecond past the
  // first poll's reach, and the hole between the reaches is exactly 1 µs
  // (2 half microseconds) with the midpoint inside it.
  const Instant first = at("2023-01-23 10:00:00");
  const Instant second = first + std::chrono::minutes{90} + std::chrono::microseconds{1};
  const std::vector<Poll> polls = {{first, true}, {second, false}};
  const auto spans = status_timeline(polls, rules(Interpolation::nearest, std::chrono::minutes{90}),
                                     test::kMonday, test::kMondayEnd);
  REQUIRE(spans.size() == 5);
  CHECK(spans[1].begin == FineInstant{first} - std::chrono::minutes{45});
  CHECK(spans[1].end == FineInstant{first} + std::chrono::minutes{45});
  CHECK(spans[2].status == StoreStatus::unknown);
  CHECK(spans[2].length() == HalfMicroseconds{2});
  const FineInstant midpoint = FineInstant{first} + (FineInstant{second} - FineInstant{first}) / 2;
  CHECK(spans[2].begin < midpoint);
  CHECK(midpoint < spans[2].end);
  CHECK((midpoint - spans[2].begin) == HalfMicroseconds{1});
  CHECK(spans[3].begin == FineInstant{second} - std::chrono::minutes{45});

  // Polls 3 µs apart and a max_gap of 1 s: all known, the change at the
  // midpoint 1.5 µs after the first poll.
  const std::vector<Poll> close = {{first, true}, {first + std::chrono::microseconds{3}, false}};
  const auto close_spans =
      status_timeline(close, rules(Interpolation::nearest, std::chrono::seconds{1}), test::kMonday,
                      test::kMondayEnd);
  REQUIRE(close_spans.size() == 4);
  CHECK(close_spans[1].end - FineInstant{first} == HalfMicroseconds{3});
  CHECK(close_spans[1].length() == HalfMicroseconds{1'000'000 + 3});
}

TEST_CASE("max_gap: before the first poll and after the last", "[unknown]") {
  // 24x7 store, one poll at 12:00 on Wednesday the 25th; now 18:00 that day.
  StoreInput store{"s", {{at("2023-01-25 12:00:00"), true}}, {}, utc()};
  SECTION("nearest: known from 11:00 to 13:00 only") {
    const auto f =
        figures(store, "2023-01-25 18:00:00", rules(Interpolation::nearest, std::chrono::hours{2}));
    CHECK(f.uptime[last_week] == hours(2));
    CHECK(f.unknown[last_week] == hours(166));
    CHECK(f.uptime[last_hour] == HalfMicroseconds{0});
    CHECK(f.unknown[last_hour] == minutes(60));
    CHECK(f.uptime[last_day] == hours(2));
    CHECK(f.unknown[last_day] == hours(22));
  }
  SECTION("previous: nothing before the poll is known, then max_gap after it") {
    const auto f = figures(store, "2023-01-25 18:00:00",
                           rules(Interpolation::previous, std::chrono::hours{2}));
    CHECK(f.uptime[last_week] == hours(2));  // [12:00, 14:00)
    CHECK(f.unknown[last_week] == hours(166));
    CHECK(f.downtime[last_week] == HalfMicroseconds{0});
  }
  SECTION("previous without max_gap: the first poll's status holds before it (rules §4)") {
    const auto f = figures(store, "2023-01-25 18:00:00", Interpolation::previous);
    CHECK(f.uptime[last_week] == hours(168));
    CHECK(f.unknown[last_week] == HalfMicroseconds{0});
  }
}

TEST_CASE("max_gap: polls all far before the window leave it all unknown", "[unknown]") {
  // Daily 09:00-17:00; the last polls a month before now.
  std::vector<WeeklyHoursRow> hours_rows;
  for (int day = 0; day < 7; ++day) hours_rows.push_back({day, tod("09:00"), tod("17:00")});
  StoreInput store{"s",
                   {{at("2022-12-20 10:00:00"), false}, {at("2022-12-20 11:00:00"), true}},
                   hours_rows,
                   utc()};
  for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
    const auto f = figures(store, "2023-01-25 12:00:00", rules(mode, std::chrono::hours{168}));
    CHECK(f.uptime[last_week] == HalfMicroseconds{0});
    CHECK(f.downtime[last_week] == HalfMicroseconds{0});
    CHECK(f.unknown[last_week] == hours(56));  // 7 days x 8 h
    CHECK(f.unknown[last_hour] == minutes(60));
    // Without max_gap the last poll still speaks for the whole week.
    CHECK(figures(store, "2023-01-25 12:00:00", mode).uptime[last_week] == hours(56));
  }
}

TEST_CASE("max_gap: unknown time counts only business time, special dates included", "[unknown]") {
  // Daily 09:00-17:00 UTC; Tuesday the 24th is a special date open 12:00-14:00
  // only. Hourly polls stop on the 24th at 10:00 and start again on the 25th
  // at 10:00; now the 25th 12:00. nearest, 2h: the 24th is known until 11:00,
  // which is closed (special hours), so its whole special shift is unknown.
  std::vector<WeeklyHoursRow> hours_rows;
  for (int day = 0; day < 7; ++day) hours_rows.push_back({day, tod("09:00"), tod("17:00")});
  std::vector<Poll> polls;
  for (Instant t = at("2023-01-18 00:00:00"); t <= at("2023-01-24 10:00:00");
       t += std::chrono::hours{1}) {
    polls.push_back({t, true});
  }
  for (Instant t = at("2023-01-25 10:00:00"); t <= at("2023-01-25 12:00:00");
       t += std::chrono::hours{1}) {
    polls.push_back({t, false});
  }
  StoreInput store{"s", polls, hours_rows, utc()};
  store.special.push_back(
      {date::local_days{date::year{2023} / 1 / 24}, {{false, tod("12:00"), tod("14:00")}}});
  const auto f =
      figures(store, "2023-01-25 12:00:00", rules(Interpolation::nearest, std::chrono::hours{2}));
  // Last day [24th 12:00, 25th 12:00): the special shift 12-14 unknown (2 h);
  // the 25th 09:00-12:00: 09:00-09:30 nearest the 10:00 poll is inside its
  // reach (09:00-11:00), so all 3 h are down.
  CHECK(f.unknown[last_day] == hours(2));
  CHECK(f.downtime[last_day] == hours(3));
  CHECK(f.uptime[last_day] == HalfMicroseconds{0});
  // Last week from the 18th 12:00: 18th 12-17 (5 h) + 19th-23rd (5 x 8 h) up;
  // nothing of the 24th's special shift known; the 25th 3 h down.
  CHECK(f.uptime[last_week] == hours(45));
  CHECK(f.unknown[last_week] == hours(2));
  CHECK(f.downtime[last_week] == hours(3));
}

TEST_CASE("max_gap: unknown segments in the store timeline, and outages split by them",
          "[unknown]") {
  // 24x7 store, down at 08:00 and 20:00, up otherwise but not polled between.
  StoreInput store{"s",
                   {{at("2023-01-25 06:00:00"), true},
                    {at("2023-01-25 08:00:00"), false},
                    {at("2023-01-25 20:00:00"), false},
                    {at("2023-01-25 22:00:00"), true}},
                   {},
                   utc()};
  const auto week = store_week(store, at("2023-01-25 23:00:00"),
                               rules(Interpolation::nearest, std::chrono::hours{2}));
  REQUIRE(week.has_value());
  const auto segments = week_segments(*week);
  // unknown until 05:00, up 05-07, down 07-09, unknown 09-19, down 19-21,
  // up 21-23.
  REQUIRE(segments.size() == 6);
  CHECK(segments[0].state == StoreState::unknown);
  CHECK(segments[3].state == StoreState::unknown);
  CHECK(segments[3].begin == fine("2023-01-25 09:00:00"));
  CHECK(segments[3].end == fine("2023-01-25 19:00:00"));
  const auto down = outages(segments);
  REQUIRE(down.size() == 2);
  CHECK(down[0].length() == std::chrono::hours{2});
  CHECK(down[1].length() == std::chrono::hours{2});
  CHECK(std::string(store_state_name(StoreState::unknown)) == "unknown");
}

TEST_CASE("max_gap: parsing and the shortest written form", "[unknown]") {
  CHECK(parse_max_gap("90m") == std::chrono::minutes{90});
  CHECK(parse_max_gap("5400s") == std::chrono::seconds{5400});
  CHECK(parse_max_gap("168h") == std::chrono::hours{168});
  for (const char* bad : {"169h", "604801s", "0h", "-2h", "2", "h", "2d", "1.5h", "", "none"}) {
    INFO(bad);
    CHECK_FALSE(parse_max_gap(bad));
  }
  CHECK(format_max_gap(std::chrono::seconds{5400}) == "90m");
  CHECK(format_max_gap(std::chrono::seconds{7200}) == "2h");
  CHECK(format_max_gap(std::chrono::seconds{3601}) == "3601s");
}

TEST_CASE("max_gap: the CSV has the unknown columns only with max_gap", "[unknown]") {
  Report report;
  StoreFigures row;
  row.store_id = "a";
  row.uptime = {minutes(30), hours(2), hours(10)};
  row.unknown = {minutes(30), hours(1.5), hours(3.25)};
  test::window_rows(report).push_back(row);
  CHECK(report_csv(report) ==
        "store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,"
        "downtime_last_day,downtime_last_week\n"
        "a,30.00,2.00,10.00,0.00,0.00,0.00\n");
  report.rules.max_gap = std::chrono::hours{2};
  CHECK(report_csv(report) ==
        "store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,"
        "downtime_last_day,downtime_last_week,unknown_last_hour,unknown_last_day,"
        "unknown_last_week\n"
        "a,30.00,2.00,10.00,0.00,0.00,0.00,30.00,1.50,3.25\n");
}

TEST_CASE("max_gap property: up + down + unknown == business, exactly", "[unknown][property]") {
  std::mt19937_64 random(20261122);
  auto below = [&random](std::uint64_t n) { return random() % n; };
  const char* zones[] = {"UTC",
                         "America/New_York",
                         "Australia/Lord_Howe",
                         "Asia/Kathmandu",
                         "America/Sao_Paulo",
                         "Pacific/Chatham"};
  const Instant base = at("2023-01-01 00:00:00");
  for (int i = 0; i < 300; ++i) {
    StoreInput store;
    store.store_id = "s" + std::to_string(i);
    store.zone = date::locate_zone(zones[below(std::size(zones))]);
    for (int r = 0, rows = static_cast<int>(below(10)); r < rows; ++r) {
      store.hours.push_back({static_cast<int>(below(7)), std::chrono::seconds{below(86400)},
                             std::chrono::seconds{below(86400)}});
    }
    const Instant now = base + std::chrono::microseconds{below(365LL * 86400 * 1000000)};
    if (below(2) == 0) {
      const auto day = date::floor<date::days>(now) - date::days{below(8)};
      store.special.push_back({date::local_days{day.time_since_epoch()},
                               {{below(3) == 0, std::chrono::seconds{below(86400)},
                                 std::chrono::seconds{below(86400)}}}});
    }
    // Polls with gaps from 1 µs to 12 h, some before the week.
    Instant t = now - std::chrono::hours{200} + std::chrono::microseconds{below(3600LL * 1000000)};
    for (int p = 0, count = 1 + static_cast<int>(below(200)); p < count; ++p) {
      store.polls.push_back({t, below(4) != 0});
      t += std::chrono::microseconds{1 + below(12 * 3600LL * 1000000)};
    }
    const std::chrono::seconds max_gap{1 + below(168 * 3600)};
    for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
      const auto f = compute_store_figures(store, now, rules(mode, max_gap));
      const auto plain = compute_store_figures(store, now, mode);
      if (!f) continue;  // every poll after now
      for (std::size_t w = 0; w < kWindowCount; ++w) {
        const FineInstant begin = FineInstant{now} - window_length(static_cast<Window>(w));
        HalfMicroseconds business{0};
        for (const auto& open :
             business_intervals(store.hours, store.special, store.zone, begin, now)) {
          business += open.length();
        }
        INFO(store.store_id << " window " << w << " max_gap " << max_gap.count() << " s");
        REQUIRE(f->uptime[w] + f->downtime[w] + f->unknown[w] == business);
        REQUIRE(f->unknown[w] >= HalfMicroseconds{0});
        // Unknown time only takes away from what was known: never adds up or down.
        REQUIRE(f->uptime[w] <= plain->uptime[w]);
        REQUIRE(f->downtime[w] <= plain->downtime[w]);
        REQUIRE(plain->unknown[w] == HalfMicroseconds{0});
      }
    }
  }
}
