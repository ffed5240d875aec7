// Business hours: a store's weekly local-time rows expanded into the UTC
// instants it is open (SPEC §3), through the store's IANA zone. Pure.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <vector>

#include "fine_time.hpp"

// One row of weekly hours, in the store's local time.
struct WeeklyHoursRow {
  int day;                     // 0 = Monday ... 6 = Sunday
  std::chrono::seconds start;  // after local midnight, [0, 86399]
  std::chrono::seconds end;    // end < start: closes the next day; end == start: 24 h
};

// The zone of stores without a time zone row (SPEC §2).
const date::time_zone* default_zone();

// The instants the store is open inside [from, to): sorted, disjoint, merged
// where they overlap or touch. No rows means open 24x7, i.e. {[from, to)}.
// Local times go to UTC by the rules in force on that date: a skipped local
// time maps to the instant of the jump, a repeated one to its first occurrence.
std::vector<Interval> business_intervals(const std::vector<WeeklyHoursRow>& hours,
                                         const date::time_zone* zone, FineInstant from,
                                         FineInstant to);
