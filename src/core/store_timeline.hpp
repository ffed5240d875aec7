// One store's last week as a timeline (behind GET /stores/<id>): UTC segments
// that are closed, up, down or unknown, its outages, and the local midnights for an
// axis. Pure: built from a StoreWeek (report.hpp) and the store's zone.
#pragma once

#include <string>
#include <vector>

#include "core/report.hpp"

// A half-open UTC span [begin, end) of one state.
struct Segment {
  FineInstant begin;
  FineInstant end;
  StoreState state;
};

// Segments covering [week.begin, week.end) exactly, in order, adjacent
// segments of one state merged: business time takes its status span's state,
// the rest is closed.
std::vector<Segment> week_segments(const StoreWeek& week);

// The outages: maximal down intervals inside business hours, in order. Down
// time only exists inside business hours, so these are the down segments,
// except that down segments parted only by closed time of at most
// kBridgedClosedGap are one outage (hours ending 23:59 leave a closed minute
// in what is one outage to its owner); an outage's length then includes that
// closed time. Unknown time is never an outage, and it splits one (a store
// seen down before and after a hole in the data had two outages as far as we
// know).
std::vector<Interval> outages(const std::vector<Segment>& segments);

// A local midnight inside [from, to): its date and the UTC instant it starts.
struct LocalDayStart {
  date::local_days date;
  FineInstant begins;  // a skipped midnight starts at the jump (rules §3)
};
std::vector<LocalDayStart> local_day_starts(const date::time_zone* zone, FineInstant from,
                                            FineInstant to);

// The instants inside [from, to) where the local clock reads a whole
// multiple of `step` hours past midnight (00:00, 06:00, 12:00, 18:00 for a
// step of 6), for gridlines: on a daylight-saving day the marks follow the
// wall clock, and a skipped hour has none.
struct LocalHourMark {
  FineInstant at;
  int hour;  // local, 0-23
};
std::vector<LocalHourMark> local_hour_marks(const date::time_zone* zone, FineInstant from,
                                            FineInstant to, int step);

// "-05:00", "+05:45": a UTC offset as ISO 8601 writes it.
std::string format_utc_offset(std::chrono::seconds offset);

// "2023-01-24T09:00:00-05:00": local wall-clock time to the second (rounded
// down) with its UTC offset, so repeated hours stay unambiguous.
std::string format_local(const date::time_zone* zone, FineInstant instant);
