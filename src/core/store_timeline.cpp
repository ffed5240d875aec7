#include "core/store_timeline.hpp"

#include <cstdio>

std::vector<Segment> week_segments(const StoreWeek& week) {
  std::vector<Segment> segments;
  auto append = [&segments](FineInstant begin, FineInstant end, StoreState state) {
    if (begin >= end) return;
    if (!segments.empty() && segments.back().state == state && segments.back().end == begin) {
      segments.back().end = end;
    } else {
      segments.push_back({begin, end, state});
    }
  };
  // Closed between open pieces: the spans cover the whole week, so the open
  // pieces of an interval follow each other without a gap.
  FineInstant covered = week.begin;
  for_each_open_piece(week.business, week.spans,
                      [&](FineInstant begin, FineInstant end, StoreStatus status) {
                        append(covered, begin, StoreState::closed);
                        append(begin, end, open_store_state(status));
                        covered = end;
                      });
  append(covered, week.end, StoreState::closed);
  return segments;
}

std::vector<Interval> outages(const std::vector<Segment>& segments) {
  std::vector<Interval> result;
  // Whether the segments since the last outage are only closed time, short
  // enough to bridge.
  bool bridgeable = false;
  for (const Segment& segment : segments) {
    if (segment.state == StoreState::down) {
      if (bridgeable && segment.begin - result.back().end <= kBridgedClosedGap) {
        result.back().end = segment.end;
      } else {
        result.push_back({segment.begin, segment.end});
      }
      bridgeable = true;
    } else if (segment.state != StoreState::closed) {
      bridgeable = false;
    }
  }
  return result;
}

std::vector<LocalDayStart> local_day_starts(const date::time_zone* zone, FineInstant from,
                                            FineInstant to) {
  std::vector<LocalDayStart> result;
  if (from >= to) return result;
  const auto first = date::floor<date::days>(zone->to_local(from));
  const auto last = date::floor<date::days>(zone->to_local(to));
  for (date::local_days day = first; day <= last; day += date::days{1}) {
    const FineInstant begins = local_midnight(zone, day);
    if (begins >= from && begins < to) result.push_back({day, begins});
  }
  return result;
}

std::vector<LocalHourMark> local_hour_marks(const date::time_zone* zone, FineInstant from,
                                            FineInstant to, int step) {
  std::vector<LocalHourMark> marks;
  if (from >= to || step <= 0) return marks;
  const auto first = date::floor<date::days>(zone->to_local(from));
  const auto last = date::floor<date::days>(zone->to_local(to));
  for (date::local_days day = first; day <= last; day += date::days{1}) {
    for (int hour = 0; hour < 24; hour += step) {
      const date::local_seconds local = day + std::chrono::hours{hour};
      const date::local_info info = zone->get_info(local);
      if (info.result == date::local_info::nonexistent) continue;
      const FineInstant at = zone->to_sys(local, date::choose::earliest);
      if (at >= from && at < to) marks.push_back({at, hour});
    }
  }
  return marks;
}

std::string format_utc_offset(std::chrono::seconds offset) {
  const auto minutes =
      std::chrono::duration_cast<std::chrono::minutes>(offset < offset.zero() ? -offset : offset);
  char text[32];
  std::snprintf(text, sizeof text, "%c%02d:%02d", offset < offset.zero() ? '-' : '+',
                static_cast<int>(minutes.count() / 60), static_cast<int>(minutes.count() % 60));
  return text;
}

std::string format_local(const date::time_zone* zone, FineInstant instant) {
  const date::zoned_time<std::chrono::seconds> local(zone,
                                                     date::floor<std::chrono::seconds>(instant));
  const auto day = date::floor<date::days>(local.get_local_time());
  return format_date(date::year_month_day{day}) +
         date::format("T%H:%M:%S", local.get_local_time() - day) +
         format_utc_offset(local.get_info().offset);
}
