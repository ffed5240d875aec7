// Instants and their text forms: the UTC timestamp forms of rules §1 parsed to
// microseconds, local times of day ("HH:MM[:SS]"), and ISO 8601 output.
#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

// An instant in UTC, to the microsecond: what polls and report options carry.
using Instant = date::sys_time<std::chrono::microseconds>;

// Parses one of the accepted forms, and nothing else:
//   "2023-01-22 12:09:39[.ffffff][ UTC]"   "2023-01-22T12:09:39[.ffffff]Z|+00:00"
// with 0-6 fraction digits and a year from 0001 to 9999. Returns nullopt for
// any other text, an impossible date, or a second of 60.
std::optional<Instant> parse_timestamp(std::string_view text);

// Parses a local time of day "HH:MM" or "HH:MM:SS" (00:00:00-23:59:59) to the
// seconds after midnight.
std::optional<std::chrono::seconds> parse_time_of_day(std::string_view text);

// A length written as a positive whole number and a unit: "90s", "15m", "2h".
// nullopt for anything else (no sign, no space, no other unit, no zero).
std::optional<std::chrono::seconds> parse_length(std::string_view text);

// "2023-01-22T12:09:39.388884Z": always six fraction digits; years outside
// 0001-9999 (an as_of near year 1 minus a week) as ISO 8601 expanded years
// ("-0001-12-25T00:00:00.000000Z", "+10000-01-01T...").
std::string format_timestamp(Instant instant);

// "2023-01-22" for a calendar date; years outside 0001-9999 as ISO 8601
// expanded years ("+0000-12-27", "-0001-11-30", "+10000-01-01").
std::string format_date(date::year_month_day date);

// "09:30:00" for 34200 s.
std::string format_time_of_day(std::chrono::seconds since_midnight);

// Microseconds since 1970-01-01 UTC, as stored in the database.
inline std::int64_t to_micros(Instant instant) {
  return instant.time_since_epoch().count();
}
inline Instant from_micros(std::int64_t micros) {
  return Instant{std::chrono::microseconds{micros}};
}
