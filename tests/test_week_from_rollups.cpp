// The standard report's week from daily rollups (core/week_from_rollups.hpp):
// the head, the rolled-up dates and the tail give the figures and the status
// now that the whole week gives, across a change to daylight saving time,
// when the status's stretch starts inside the tail, before it, or long ago.
// (tests/test_rollups.cpp compares the same through the database.)
#include <catch2/catch.hpp>

#include "core/week_from_rollups.hpp"
#include "support.hpp"

using test::at;

namespace {

// The whole week's figures through the cuts, as report_builder takes them:
// the tail, a longer tail when the status needs it, then the head. Every
// poll is given to each step (those around a step's range shape it only
// near its ends). nullopt when the whole week must be read instead.
std::optional<StoreFigures> through_rollups(const StoreInput& store, Instant now,
                                            const StatusRules& rules, int* tails) {
  const auto dates = week_whole_dates(zone_of(store), now);
  REQUIRE(dates);
  const auto days = roll_up_days(store, rules, dates->from, dates->to);
  auto cuts = week_cuts(zone_of(store), now, days, *dates);
  REQUIRE(cuts);
  *tails = 1;
  TailFigures tail = figures_but_week_head(store, store.polls, now, rules, *cuts);
  if (!tail.status_known) {
    const auto longer =
        stretch_break_before(zone_of(store), tail.figures.now.state, days, cuts->tail_begin);
    if (!longer) return std::nullopt;
    cuts->tail_begin = *longer;
    *tails = 2;
    tail = figures_but_week_head(store, store.polls, now, rules, *cuts);
    if (!tail.status_known) return std::nullopt;
  }
  add_week_head(tail.figures, store, store.polls, now, rules, *cuts);
  return tail.figures;
}

void check_same(const StoreFigures& from_rollups, const StoreFigures& whole) {
  CHECK(from_rollups.uptime == whole.uptime);
  CHECK(from_rollups.downtime == whole.downtime);
  CHECK(from_rollups.unknown == whole.unknown);
  CHECK(from_rollups.now.state == whole.now.state);
  CHECK(from_rollups.now.since == whole.now.since);
  CHECK(from_rollups.now.since_week_start == whole.now.since_week_start);
  CHECK(from_rollups.now.opens == whole.now.opens);
}

}  // namespace

TEST_CASE("a week from rollups equals the whole week", "[rollups]") {
  StoreInput store;
  store.store_id = "s";
  store.zone = test::zone("America/New_York");    // to daylight saving on 2023-03-12
  const Instant now = at("2023-03-15 19:30:00");  // 15:30 EDT, a Wednesday
  StatusRules rules(Interpolation::nearest);
  int tails = 0;

  SECTION("open all day, up since a down poll three days ago: a longer tail") {
    store.polls =
        test::hourly_polls("2023-03-06 00:00:00", "2023-03-15 19:00:00", {"2023-03-12 14:00:00"});
    const auto whole = compute_store_figures(store, now, rules);
    const auto from_rollups = through_rollups(store, now, rules, &tails);
    REQUIRE(from_rollups);
    check_same(*from_rollups, *whole);
    CHECK(tails == 2);
    CHECK(whole->now.since == test::fine("2023-03-12 14:30:00"));
  }
  SECTION("with max_gap, up the whole week: only the whole week says since when") {
    rules.max_gap = std::chrono::hours{2};
    store.polls = test::hourly_polls("2023-03-06 00:00:00", "2023-03-15 19:00:00");
    const auto whole = compute_store_figures(store, now, rules);
    CHECK(whole->now.since_week_start);
    CHECK_FALSE(through_rollups(store, now, rules, &tails));
  }
  SECTION("open 09:00-17:00, up since today's opening: the tail alone") {
    store.hours = test::every_day("09:00", "17:00");
    store.polls = test::hourly_polls("2023-03-06 00:00:00", "2023-03-15 19:00:00",
                                     {"2023-03-09 15:00:00", "2023-03-14 18:00:00"});
    const auto whole = compute_store_figures(store, now, rules);
    const auto from_rollups = through_rollups(store, now, rules, &tails);
    REQUIRE(from_rollups);
    check_same(*from_rollups, *whole);
    CHECK(tails == 1);
    CHECK(whole->now.since == test::fine("2023-03-15 13:00:00"));  // 09:00 EDT
  }
  SECTION("open on Mondays only, closed now: since Monday's closing, a longer tail") {
    store.hours = {{0, std::chrono::hours{10}, std::chrono::hours{14}}};
    store.polls = test::hourly_polls("2023-03-06 00:00:00", "2023-03-15 19:00:00");
    const auto whole = compute_store_figures(store, now, rules);
    const auto from_rollups = through_rollups(store, now, rules, &tails);
    REQUIRE(from_rollups);
    check_same(*from_rollups, *whole);
    CHECK(tails == 2);
    CHECK(whole->now.state == StoreState::closed);
    CHECK(whole->now.since == test::fine("2023-03-13 18:00:00"));  // 14:00 EDT
  }
}
