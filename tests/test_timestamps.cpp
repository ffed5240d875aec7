// rules §1: the accepted timestamp forms, and everything else rejected.
#include <catch2/catch.hpp>

#include "core/timestamps.hpp"

using std::chrono::microseconds;

namespace {
// 2023-01-22 12:09:39 UTC in microseconds since 1970.
constexpr std::int64_t kBase = 1674389379LL * 1000000;
}  // namespace

TEST_CASE("every accepted timestamp form parses to the same microsecond", "[timestamps]") {
  const char* forms[] = {
      "2023-01-22 12:09:39.388884 UTC",
      "2023-01-22 12:09:39.388884",
      "2023-01-22T12:09:39.388884Z",
      "2023-01-22T12:09:39.388884+00:00",
  };
  for (const char* text : forms) {
    INFO(text);
    auto parsed = parse_timestamp(text);
    REQUIRE(parsed);
    CHECK(to_micros(*parsed) == kBase + 388884);
  }
  for (const char* text : {"2023-01-22 12:09:39 UTC", "2023-01-22 12:09:39", "2023-01-22T12:09:39Z",
                           "2023-01-22T12:09:39+00:00"}) {
    INFO(text);
    auto parsed = parse_timestamp(text);
    REQUIRE(parsed);
    CHECK(to_micros(*parsed) == kBase);
  }
}

TEST_CASE("0 to 6 fraction digits scale to microseconds", "[timestamps]") {
  CHECK(to_micros(*parse_timestamp("2023-01-22 12:09:39.3 UTC")) == kBase + 300000);
  CHECK(to_micros(*parse_timestamp("2023-01-22 12:09:39.38")) == kBase + 380000);
  CHECK(to_micros(*parse_timestamp("2023-01-22T12:09:39.388Z")) == kBase + 388000);
  CHECK(to_micros(*parse_timestamp("2023-01-22T12:09:39.3888+00:00")) == kBase + 388800);
  CHECK(to_micros(*parse_timestamp("2023-01-22 12:09:39.38888")) == kBase + 388880);
  CHECK(to_micros(*parse_timestamp("2023-01-22 12:09:39.000001 UTC")) == kBase + 1);
}

TEST_CASE("malformed timestamps are rejected", "[timestamps]") {
  const char* bad[] = {
      "",
      "2023-01-22 12:09:39 utc",      // lower-case utc
      "2023-01-22T12:09:39",          // bare T
      "2023-01-22T12:09:39 UTC",      // T with UTC
      "2023-01-22 12:09:39Z",         // space with Z
      "2023-01-22 12:09:39+00:00",    // space with offset
      "2023-01-22T12:09:39+01:00",    // another offset
      "2023-01-22 12:09:60",          // second 60
      "2023-01-22 24:00:00",          // hour 24
      "2023-01-22 12:60:00",          // minute 60
      "2023-02-29 12:00:00",          // not a leap year
      "2023-13-01 12:00:00",          // month 13
      "2023-00-10 12:00:00",          // month 0
      "2023-01-00 12:00:00",          // day 0
      "0000-02-22 12:09:39",          // year 0
      "2023-01-22 12:09:39.1234567",  // 7 fraction digits
      "2023-01-22 12:09:39.",         // dot without digits
      "2023-01-22 12:09:39. UTC",     // dot without digits
      " 2023-01-22 12:09:39",         // leading space
      "2023-01-22 12:09:39 ",         // trailing space
      "2023-01-22 12:09:39 UTC ",     // trailing space after UTC
      "2023-1-22 12:09:39",           // one-digit month
      "2023-01-22 2:09:39",           // one-digit hour
      "2023/01/22 12:09:39",          // slashes
      "2023-01-22",                   // date only
      "1674389379",                   // epoch seconds
      "2023-01-22 12:09:39.38a",      // letter in the fraction
  };
  for (const char* text : bad) {
    INFO("'" << text << "'");
    CHECK_FALSE(parse_timestamp(text));
  }
}

TEST_CASE("leap days parse in leap years", "[timestamps]") {
  CHECK(parse_timestamp("2024-02-29 00:00:00"));
  CHECK(parse_timestamp("2000-02-29 00:00:00"));
  CHECK_FALSE(parse_timestamp("1900-02-29 00:00:00"));
}

TEST_CASE("times of day: HH:MM or HH:MM:SS within the day", "[timestamps]") {
  CHECK(parse_time_of_day("00:00")->count() == 0);
  CHECK(parse_time_of_day("09:30")->count() == 9 * 3600 + 30 * 60);
  CHECK(parse_time_of_day("23:59:59")->count() == 86399);
  CHECK(parse_time_of_day("13:37:13")->count() == 13 * 3600 + 37 * 60 + 13);
  for (const char* text : {"24:00", "25:00", "23:60", "23:59:60", "9:30", "09:3", "09:30:5", "0930",
                           "09.30", "", " 09:30", "09:30 ", "09:30:00.5", "-1:00"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(parse_time_of_day(text));
  }
}

TEST_CASE("instants format as ISO 8601 with six fraction digits", "[timestamps]") {
  CHECK(format_timestamp(from_micros(kBase + 388884)) == "2023-01-22T12:09:39.388884Z");
  CHECK(format_timestamp(from_micros(kBase)) == "2023-01-22T12:09:39.000000Z");
  CHECK(format_time_of_day(std::chrono::seconds{34200}) == "09:30:00");
  // What is printed parses back to the same instant.
  CHECK(*parse_timestamp(format_timestamp(from_micros(kBase + 7))) == from_micros(kBase + 7));
}

TEST_CASE("years outside 0001-9999 format as ISO 8601 expanded years", "[timestamps]") {
  const Instant year_one = *parse_timestamp("0001-01-03 12:00:00");
  CHECK(format_timestamp(year_one) == "0001-01-03T12:00:00.000000Z");
  CHECK(format_timestamp(year_one - date::days{7}) == "+0000-12-27T12:00:00.000000Z");
  CHECK(format_timestamp(year_one - date::days{400}) == "-0001-11-30T12:00:00.000000Z");
  const Instant last = *parse_timestamp("9999-12-31 23:59:59.999999");
  CHECK(format_timestamp(last + std::chrono::microseconds{1}) == "+10000-01-01T00:00:00.000000Z");
}

TEST_CASE("lengths are a positive whole number of s, m or h", "[timestamps]") {
  CHECK(parse_length("90s") == std::chrono::seconds{90});
  CHECK(parse_length("15m") == std::chrono::minutes{15});
  CHECK(parse_length("2h") == std::chrono::hours{2});
  for (const char* bad : {"", "h", "0h", "-1h", "+1h", "1.5h", "1 h", "1d", "1H", "60", "h1"}) {
    INFO(bad);
    CHECK_FALSE(parse_length(bad));
  }
}
