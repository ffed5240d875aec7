// rules §4: the status between polls, for both interpolations.
#include <catch2/catch.hpp>

#include "core/timeline.hpp"
#include "support.hpp"

using test::at;

namespace {

Poll poll(const std::string& when, bool active) {
  return {at(when), active};
}

// The status at instant `t` according to the spans (which must cover it).
StoreStatus status_at(const std::vector<StatusSpan>& spans, FineInstant t) {
  for (const auto& span : spans) {
    if (span.begin <= t && t < span.end) return span.status;
  }
  FAIL("no span covers the instant");
  return StoreStatus::unknown;
}

}  // namespace

TEST_CASE("nearest: status changes at the midpoint between polls", "[timeline]") {
  // Active at 10:00, inactive at 12:00: the midpoint 11:00 belongs to the later poll.
  const std::vector<Poll> polls = {poll("2023-01-23 10:00:00", true),
                                   poll("2023-01-23 12:00:00", false)};
  auto spans = status_timeline(polls, Interpolation::nearest, test::kMonday, test::kMondayEnd);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].begin == test::kMonday);  // before the first poll, the first status holds
  CHECK(spans[0].end == FineInstant{at("2023-01-23 11:00:00")});
  CHECK(spans[0].status == StoreStatus::active);
  CHECK(spans[1].begin == FineInstant{at("2023-01-23 11:00:00")});
  CHECK(spans[1].end == test::kMondayEnd);  // after the last poll, the last status holds
  CHECK(spans[1].status == StoreStatus::inactive);

  // One microsecond before the midpoint is still the earlier poll; the midpoint is the later.
  const FineInstant midpoint = at("2023-01-23 11:00:00");
  CHECK(status_at(spans, midpoint - std::chrono::microseconds{1}) == StoreStatus::active);
  CHECK(status_at(spans, midpoint) == StoreStatus::inactive);
}

TEST_CASE("nearest: a midpoint that falls on half a microsecond is exact", "[timeline]") {
  // Polls 3 µs apart: the midpoint is 1.5 µs after the first, i.e. 3 half-microseconds.
  const Instant first = at("2023-01-23 10:00:00");
  const std::vector<Poll> polls = {{first, true}, {first + std::chrono::microseconds{3}, false}};
  auto spans = status_timeline(polls, Interpolation::nearest, test::kMonday, test::kMondayEnd);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].end - FineInstant{first} == HalfMicroseconds{3});
}

TEST_CASE("previous: status changes at the later poll", "[timeline]") {
  const std::vector<Poll> polls = {poll("2023-01-23 10:00:00", false),
                                   poll("2023-01-23 12:00:00", true),
                                   poll("2023-01-23 13:00:00", false)};
  auto spans = status_timeline(polls, Interpolation::previous, test::kMonday, test::kMondayEnd);
  REQUIRE(spans.size() == 3);
  // Before the first poll its status holds: inactive from the range start to 12:00.
  CHECK(spans[0].begin == test::kMonday);
  CHECK(spans[0].end == FineInstant{at("2023-01-23 12:00:00")});
  CHECK(spans[0].status == StoreStatus::inactive);
  CHECK(spans[1].end == FineInstant{at("2023-01-23 13:00:00")});
  CHECK(spans[1].status == StoreStatus::active);
  CHECK(spans[2].end == test::kMondayEnd);
  CHECK(spans[2].status == StoreStatus::inactive);
}

TEST_CASE("adjacent spans of the same status merge, spans cover the range exactly", "[timeline]") {
  const std::vector<Poll> polls = {poll("2023-01-23 01:00:00", true),
                                   poll("2023-01-23 02:00:00", true),
                                   poll("2023-01-23 03:00:00", true)};
  for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
    auto spans = status_timeline(polls, mode, test::kMonday, test::kMondayEnd);
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].begin == test::kMonday);
    CHECK(spans[0].end == test::kMondayEnd);
  }
}

TEST_CASE("polls long before the range: the last one decides", "[timeline]") {
  const std::vector<Poll> polls = {poll("2023-01-01 01:00:00", true),
                                   poll("2023-01-02 01:00:00", false)};
  for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
    auto spans = status_timeline(polls, mode, test::kMonday, test::kMondayEnd);
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].status == StoreStatus::inactive);
    CHECK(spans[0].length() == test::kMondayEnd - test::kMonday);
  }
}

TEST_CASE("a single poll holds everywhere", "[timeline]") {
  auto spans = status_timeline({poll("2023-01-23 05:00:00", false)}, Interpolation::nearest,
                               test::kMonday, test::kMondayEnd);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].begin == test::kMonday);
  CHECK(spans[0].end == test::kMondayEnd);
  CHECK(spans[0].status == StoreStatus::inactive);
}

TEST_CASE("interpolation names", "[timeline]") {
  CHECK(parse_interpolation("nearest") == Interpolation::nearest);
  CHECK(parse_interpolation("previous") == Interpolation::previous);
  CHECK_FALSE(parse_interpolation("Nearest"));
  CHECK_FALSE(parse_interpolation("linear"));
  CHECK(std::string(interpolation_name(Interpolation::previous)) == "previous");
}
