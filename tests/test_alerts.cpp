// Alerts (issue 21): scripted sequences of polls and clock ticks give
// exactly the expected events, once each. Stores open 09:00-17:00 UTC every
// day unless said; 2023-01-25 is a Wednesday.
#include <catch2/catch.hpp>

#include "core/alerts.hpp"
#include "support.hpp"

using test::at;
using test::every_day;
using test::utc;

namespace {

StoreInput nine_to_five() {
  return StoreInput{"s", {}, every_day("09:00", "17:00"), utc()};
}

// Feeds one poll arriving a minute after its instant.
std::vector<AlertEvent> poll(AlertState& state, const StoreInput& store, const std::string& when,
                             bool active, const AlertRules& rules = {}) {
  return alerts_for_polls(state, store, {{at(when), active}}, at(when) + std::chrono::minutes{1},
                          rules);
}

std::vector<AlertEvent> tick(AlertState& state, const StoreInput& store, const std::string& when,
                             const AlertRules& rules = {}) {
  return alerts_for_time(state, store, at(when), rules);
}

}  // namespace

TEST_CASE("alerts: down inside hours once, recovered with the downtime", "[alerts]") {
  const StoreInput store = nine_to_five();
  AlertState state;
  CHECK(poll(state, store, "2023-01-25 09:00:00", true).empty());
  const auto down = poll(state, store, "2023-01-25 10:00:00", false);
  REQUIRE(down.size() == 1);
  CHECK(down[0].type == AlertType::down);
  CHECK(down[0].at == at("2023-01-25 10:00:00"));
  CHECK(poll(state, store, "2023-01-25 11:00:00", false).empty());  // the same incident
  const auto recovered = poll(state, store, "2023-01-25 12:00:00", true);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].type == AlertType::recovered);
  CHECK(recovered[0].incident_start == at("2023-01-25 10:00:00"));
  CHECK(recovered[0].at == at("2023-01-25 12:00:00"));
  CHECK(recovered[0].downtime == std::chrono::hours{2});
  CHECK(std::string(alert_type_name(AlertType::recovered)) == "store.recovered");
}

TEST_CASE("alerts: nothing at night; down when business time begins", "[alerts]") {
  const StoreInput store = nine_to_five();
  AlertState state;
  CHECK(poll(state, store, "2023-01-25 16:00:00", true).empty());
  for (const char* night : {"2023-01-25 18:00:00", "2023-01-25 23:00:00", "2023-01-26 08:00:00"}) {
    CHECK(poll(state, store, night, false).empty());
    CHECK(tick(state, store, night).empty());
  }
  const auto opening = tick(state, store, "2023-01-26 09:00:30");
  REQUIRE(opening.size() == 1);
  CHECK(opening[0].type == AlertType::down);
  CHECK(opening[0].at == at("2023-01-26 09:00:30"));
  CHECK(tick(state, store, "2023-01-26 09:01:00").empty());  // once
  // Recovery counts business time only: the incident began with the first
  // inactive poll (18:00, closed), so the downtime is 09:00-09:30.
  const auto recovered = poll(state, store, "2023-01-26 09:30:00", true);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].downtime == std::chrono::minutes{30});
}

TEST_CASE("alerts: --alert-after N inactive polls in a row", "[alerts]") {
  const StoreInput store = nine_to_five();
  const AlertRules rules{3, std::chrono::hours{2}};
  AlertState state;
  CHECK(poll(state, store, "2023-01-25 10:00:00", false, rules).empty());
  CHECK(poll(state, store, "2023-01-25 10:20:00", false, rules).empty());
  CHECK(poll(state, store, "2023-01-25 10:30:00", true, rules).empty());  // the run breaks
  CHECK(poll(state, store, "2023-01-25 11:00:00", false, rules).empty());
  CHECK(poll(state, store, "2023-01-25 11:10:00", false, rules).empty());
  const auto down = poll(state, store, "2023-01-25 11:20:00", false, rules);
  REQUIRE(down.size() == 1);
  const auto recovered = poll(state, store, "2023-01-25 12:00:00", true, rules);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].incident_start == at("2023-01-25 11:00:00"));
  CHECK(recovered[0].downtime == std::chrono::hours{1});
}

TEST_CASE("alerts: silence during business time, then heard", "[alerts]") {
  const StoreInput store = nine_to_five();
  AlertState state;
  CHECK(poll(state, store, "2023-01-25 09:00:00", true).empty());
  CHECK(tick(state, store, "2023-01-25 10:59:00").empty());
  const auto silent = tick(state, store, "2023-01-25 11:01:00");
  REQUIRE(silent.size() == 1);
  CHECK(silent[0].type == AlertType::silent);
  CHECK(tick(state, store, "2023-01-25 12:00:00").empty());  // once
  const auto heard = poll(state, store, "2023-01-25 12:05:00", true);
  REQUIRE(heard.size() == 1);
  CHECK(heard[0].type == AlertType::heard);
  // Silence at night is no alarm.
  AlertState night;
  CHECK(poll(night, store, "2023-01-25 17:30:00", true).empty());
  CHECK(tick(night, store, "2023-01-26 03:00:00").empty());
}

TEST_CASE("alerts: a backfill raises nothing but moves the state on", "[alerts]") {
  const StoreInput store = nine_to_five();
  AlertState state;
  const Instant clock = at("2023-02-01 12:00:00");
  const std::vector<Poll> old = {{at("2023-01-25 10:00:00"), false},
                                 {at("2023-01-25 11:00:00"), false},
                                 {at("2023-01-25 12:00:00"), true}};
  CHECK(alerts_for_polls(state, store, old, clock, {}).empty());
  CHECK(state.last_poll == at("2023-01-25 12:00:00"));
  CHECK_FALSE(state.incident_start);
}

TEST_CASE("alerts: special dates count — closed on a holiday, no alarm", "[alerts]") {
  StoreInput store = nine_to_five();
  store.special.push_back({date::local_days{date::year{2023} / 1 / 25}, {{true, {}, {}}}});
  AlertState state;
  CHECK(poll(state, store, "2023-01-25 10:00:00", false).empty());
  CHECK(tick(state, store, "2023-01-25 12:00:00").empty());
  CHECK_FALSE(open_at(store, at("2023-01-25 10:00:00")));
  CHECK(open_at(store, at("2023-01-26 10:00:00")));
}
