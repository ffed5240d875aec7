// A store's state now (core/live_state.hpp, docs/rules.md §10), worked by
// hand: the run of polls, the opening window around an instant (overnight
// hours, a closed minute bridged, daylight saving), and the state read from
// both. 2023-01-25 is a Wednesday; stores are in UTC unless said.
#include <catch2/catch.hpp>

#include "core/live_state.hpp"
#include "support.hpp"

using test::at;
using test::every_day;
using test::utc;

namespace {

constexpr std::chrono::seconds kSilence{std::chrono::hours{2}};

PollRun run_of(std::initializer_list<std::pair<const char*, bool>> polls) {
  PollRun run;
  for (const auto& [when, active] : polls) REQUIRE(extend_run(run, at(when), active));
  return run;
}

StoreInput open_hours(const std::string& start, const std::string& end,
                      const date::time_zone* zone = utc()) {
  return StoreInput{"s", {}, every_day(start, end), zone};
}

}  // namespace

TEST_CASE("live: the run of polls is kept as they arrive", "[live]") {
  PollRun run;
  CHECK(extend_run(run, at("2023-01-25 08:00:00"), true));
  CHECK(extend_run(run, at("2023-01-25 09:00:00"), true));
  CHECK(run.run_start == at("2023-01-25 08:00:00"));
  CHECK(extend_run(run, at("2023-01-25 10:00:00"), false));
  CHECK(extend_run(run, at("2023-01-25 11:00:00"), false));
  CHECK(run.run_start == at("2023-01-25 10:00:00"));
  CHECK(run.first_poll == at("2023-01-25 08:00:00"));
  CHECK(run.latest_poll == at("2023-01-25 11:00:00"));
  CHECK_FALSE(run.latest_active);
  // Not newer than the newest: the caller reads the run again from the polls.
  CHECK_FALSE(extend_run(run, at("2023-01-25 10:30:00"), true));
  CHECK_FALSE(extend_run(run, at("2023-01-25 11:00:00"), true));
  CHECK(run.latest_poll == at("2023-01-25 11:00:00"));
}

TEST_CASE("live: the opening window around an instant", "[live]") {
  const StoreInput store = open_hours("09:00", "17:00");
  const OpeningWindow open = opening_window(store, at("2023-01-25 10:00:00"));
  CHECK(open.open);
  CHECK(open.since == at("2023-01-25 09:00:00"));
  CHECK(open.until == at("2023-01-25 17:00:00"));
  const OpeningWindow closed = opening_window(store, at("2023-01-25 20:00:00"));
  CHECK_FALSE(closed.open);
  CHECK(closed.since == at("2023-01-25 17:00:00"));
  CHECK(closed.until == at("2023-01-26 09:00:00"));
  // The closing instant itself is closed: intervals are half-open.
  CHECK_FALSE(opening_window(store, at("2023-01-25 17:00:00")).open);

  SECTION("overnight hours run past midnight") {
    const OpeningWindow night =
        opening_window(open_hours("18:00", "02:00"), at("2023-01-26 01:00:00"));
    CHECK(night.open);
    CHECK(night.since == at("2023-01-25 18:00:00"));
    CHECK(night.until == at("2023-01-26 02:00:00"));
  }
  SECTION("a closed minute at 23:59 does not close the store") {
    const OpeningWindow day =
        opening_window(open_hours("00:00", "23:59"), at("2023-01-25 23:59:30"));
    CHECK(day.open);
  }
  SECTION("24x7: open, with no opening or closing within reach") {
    const OpeningWindow always =
        opening_window(StoreInput{"s", {}, {}, utc()}, at("2023-01-25 10:00:00"));
    CHECK(always.open);
    CHECK_FALSE(always.since);
    CHECK_FALSE(always.until);
  }
  SECTION("local hours through the zone, daylight saving included") {
    // New York springs forward on 2023-03-12: 09:00 EDT is 13:00 UTC.
    const StoreInput ny = open_hours("09:00", "17:00", test::zone("America/New_York"));
    const OpeningWindow before = opening_window(ny, at("2023-03-12 12:00:00"));
    CHECK_FALSE(before.open);
    CHECK(before.until == at("2023-03-12 13:00:00"));
    // 13:30 UTC is 08:30 EST before the change (closed), 09:30 EDT after it (open).
    CHECK_FALSE(opening_window(ny, at("2023-03-10 13:30:00")).open);
    CHECK(opening_window(ny, at("2023-03-13 13:30:00")).open);
  }
}

TEST_CASE("live: the state from the run and the window", "[live]") {
  const StoreInput store = open_hours("09:00", "17:00");
  const auto state_at = [&](const PollRun& run, const char* when) {
    return live_status(run, opening_window(store, at(when)), at(when), kSilence);
  };
  SECTION("no poll yet: no data") {
    const LiveStatus status = state_at(PollRun{}, "2023-01-25 10:00:00");
    CHECK(status.state == StoreState::no_data);
    CHECK_FALSE(status.since);
  }
  const PollRun down = run_of({{"2023-01-25 08:00:00", true},
                               {"2023-01-25 09:10:00", false},
                               {"2023-01-25 10:10:00", false}});
  SECTION("down since the first inactive poll of the run, until it closes or falls silent") {
    const LiveStatus status = state_at(down, "2023-01-25 10:30:00");
    CHECK(status.state == StoreState::down);
    CHECK(status.since == at("2023-01-25 09:10:00"));
    CHECK(status.latest_poll == at("2023-01-25 10:10:00"));
    CHECK(status.next_change == at("2023-01-25 12:10:00"));  // silence comes before 17:00
    CHECK(status.next_opening_change == at("2023-01-25 17:00:00"));
  }
  SECTION("unknown once the newest poll is older than the silence") {
    const LiveStatus status = state_at(down, "2023-01-25 12:30:00");
    CHECK(status.state == StoreState::unknown);
    CHECK(status.since == at("2023-01-25 12:10:00"));
    CHECK(status.next_change == at("2023-01-25 17:00:00"));
  }
  SECTION("silent since the opening when the poll went quiet overnight") {
    const LiveStatus status = state_at(down, "2023-01-26 10:00:00");
    CHECK(status.state == StoreState::unknown);
    CHECK(status.since == at("2023-01-26 09:00:00"));
  }
  SECTION("closed since the last closing, until the next opening") {
    const LiveStatus status = state_at(down, "2023-01-25 18:00:00");
    CHECK(status.state == StoreState::closed);
    CHECK(status.since == at("2023-01-25 17:00:00"));
    CHECK(status.next_change == at("2023-01-26 09:00:00"));
  }
  SECTION("up since the first active poll of the run") {
    PollRun up = down;
    REQUIRE(extend_run(up, at("2023-01-25 11:00:00"), true));
    const LiveStatus status = state_at(up, "2023-01-25 11:30:00");
    CHECK(status.state == StoreState::up);
    CHECK(status.since == at("2023-01-25 11:00:00"));
  }
}
