#include "business_hours.hpp"

#include <algorithm>

namespace {

using LocalSeconds = date::local_time<std::chrono::seconds>;

// Local -> UTC for one store over a span of days. Most weeks have no offset
// change, and then a conversion is one subtraction; otherwise it goes through
// date/tz, whose choose::earliest gives the SPEC's rules (a skipped time maps
// to the transition instant, a repeated time to its first occurrence).
class LocalToUtc {
 public:
  LocalToUtc(const date::time_zone* zone, date::sys_seconds from, date::sys_seconds to)
      : zone_(zone) {
    const date::sys_info info = zone->get_info(from);
    if (info.end > to) constant_offset_ = info.offset;
  }

  date::sys_seconds operator()(LocalSeconds local) const {
    if (constant_offset_) return date::sys_seconds{local.time_since_epoch() - *constant_offset_};
    return zone_->to_sys(local, date::choose::earliest);
  }

 private:
  const date::time_zone* zone_;
  std::optional<std::chrono::seconds> constant_offset_;
};

// Monday = 0 ... Sunday = 6.
int monday_based_weekday(date::local_days day) {
  return static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
}

}  // namespace

const date::time_zone* default_zone() {
  static const date::time_zone* zone = date::locate_zone("America/Chicago");
  return zone;
}

std::vector<Interval> business_intervals(const std::vector<WeeklyHoursRow>& hours,
                                         const date::time_zone* zone, FineInstant from,
                                         FineInstant to) {
  std::vector<Interval> result;
  if (from >= to) return result;
  if (hours.empty()) {
    result.push_back({from, to});
    return result;
  }

  // A local date's intervals open on that date and close at most one day later,
  // and no zone is more than a day away from UTC: two days of margin on each
  // side cover every interval that can reach into [from, to).
  using date::days;
  const auto first_day = date::floor<days>(from) - days{2};
  const auto last_day = date::floor<days>(to) + days{2};
  const LocalToUtc to_utc(zone, first_day - days{1}, last_day + days{3});

  std::vector<Interval> raw;
  for (date::sys_days d = first_day; d <= last_day; d += days{1}) {
    const date::local_days local_date{d.time_since_epoch()};
    const int weekday = monday_based_weekday(local_date);
    for (const WeeklyHoursRow& row : hours) {
      if (row.day != weekday) continue;
      const LocalSeconds open = local_date + row.start;
      // end <= start closes on the next local date (end == start: 24 hours).
      const LocalSeconds close =
          row.end > row.start ? local_date + row.end : local_date + days{1} + row.end;
      Interval interval{to_utc(open), to_utc(close)};
      interval.begin = std::max(interval.begin, from);
      interval.end = std::min(interval.end, to);
      if (interval.begin < interval.end) raw.push_back(interval);
    }
  }

  std::sort(raw.begin(), raw.end(),
            [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  for (const Interval& interval : raw) {
    if (!result.empty() && interval.begin <= result.back().end) {
      result.back().end = std::max(result.back().end, interval.end);
    } else {
      result.push_back(interval);
    }
  }
  return result;
}
