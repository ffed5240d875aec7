// Business hours: a store's weekly local-time rows expanded into the UTC
// instants it is open (SPEC §3), through the store's IANA zone. Pure.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <vector>

#include "timestamps.hpp"

// The core measures time in half microseconds, so that the midpoint between
// two polls given in microseconds is exact (see timeline.hpp).
using HalfMicroseconds = std::chrono::duration<std::int64_t, std::ratio<1, 2'000'000>>;
using FineInstant = date::sys_time<HalfMicroseconds>;

// A half-open UTC interval [begin, end).
struct Interval {
  FineInstant begin;
  FineInstant end;
  HalfMicroseconds length() const { return end - begin; }
  bool operator==(const Interval& other) const { return begin == other.begin && end == other.end; }
};

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
