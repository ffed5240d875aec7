// Business hours: a store's weekly local-time rows and its special dates
// expanded into the UTC instants it is open (rules §3 and §6), through the
// store's IANA zone. Pure.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/fine_time.hpp"

// One row of weekly hours, in the store's local time.
struct WeeklyHoursRow {
  int day;                     // 0 = Monday ... 6 = Sunday
  std::chrono::seconds start;  // after local midnight, [0, 86399]
  std::chrono::seconds end;    // end < start: closes the next day; end == start: 24 h
};

// One row of a special date (rules §6): open from `start` as a weekly row
// would be, or closed the whole date.
struct SpecialHoursRow {
  bool closed = false;
  std::chrono::seconds start{0};  // when not closed: as in WeeklyHoursRow
  std::chrono::seconds end{0};
};

// A local date whose special rows replace the weekly rows of that date.
struct SpecialDate {
  date::local_days date;
  std::vector<SpecialHoursRow> rows;  // at least one
};

// No zone is a day or more away from UTC, and a local date's hours close at
// most a day after it: a range of instants widened by this many days on each
// side holds every local date whose hours can reach into it.
constexpr date::days kZoneMargin{2};

// Local dates as days since 1970-01-01, both ends included.
struct LocalDayRange {
  std::int64_t first;
  std::int64_t last;
};

// The local dates whose special hours can reach into the UTC instants
// [from, to] in any zone: those within kZoneMargin of their UTC dates.
LocalDayRange local_days_touching(Instant from, Instant to);

// Appends a special-hours row of `day` to `dates`, read in date order: a new
// SpecialDate when the date changes. Without times, closed the whole date.
void add_special_row(std::vector<SpecialDate>& dates, date::local_days day,
                     std::optional<std::pair<std::chrono::seconds, std::chrono::seconds>> hours);

// The zone of stores without a time zone row (rules §2).
const date::time_zone* default_zone();
// The zone of this name, for showing local times: the default one when the
// name is empty or the tz database no longer knows it.
const date::time_zone* zone_named(const std::string& name);

// The instant local date `day` starts in `zone` (rules §3: a skipped midnight
// maps to the jump, a repeated one to its first occurrence).
FineInstant local_midnight(const date::time_zone* zone, date::local_days day);

// The instants the store is open inside [from, to): sorted, disjoint, merged
// where they overlap or touch. No rows means open 24x7, i.e. {[from, to)}.
// Local times go to UTC by the rules in force on that date: a skipped local
// time maps to the instant of the jump, a repeated one to its first occurrence.
std::vector<Interval> business_intervals(const std::vector<WeeklyHoursRow>& hours,
                                         const date::time_zone* zone, FineInstant from,
                                         FineInstant to);

// The same with special dates (sorted by date, one entry per date): on a
// special date D the weekly rows of D's weekday — or, without weekly rows,
// the 24-hour day D — open nothing; D's rows with times open as weekly rows
// do (overnight into D + 1 included), closed rows open nothing. Intervals
// that started the day before D run into it as they are.
std::vector<Interval> business_intervals(const std::vector<WeeklyHoursRow>& hours,
                                         const std::vector<SpecialDate>& special,
                                         const date::time_zone* zone, FineInstant from,
                                         FineInstant to);
