#include "core/business_hours.hpp"

#include <algorithm>
#include <tuple>

namespace {

using LocalSeconds = date::local_time<std::chrono::seconds>;

// Local -> UTC for one store over a span of days. Most weeks have no offset
// change, and then a conversion is one subtraction; otherwise it goes through
// date/tz, whose choose::earliest gives the rules' choice (docs/rules.md §3) (a skipped time maps
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

FineInstant local_midnight(const date::time_zone* zone, date::local_days day) {
  return zone->to_sys(day, date::choose::earliest);
}

LocalDayRange local_days_touching(Instant from, Instant to) {
  const auto day_of = [](Instant instant) {
    return static_cast<std::int64_t>(date::floor<date::days>(instant).time_since_epoch().count());
  };
  return {day_of(from) - kZoneMargin.count(), day_of(to) + kZoneMargin.count()};
}

void add_special_row(std::vector<SpecialDate>& dates, date::local_days day,
                     std::optional<std::pair<std::chrono::seconds, std::chrono::seconds>> hours) {
  if (dates.empty() || dates.back().date != day) dates.push_back({day, {}});
  SpecialHoursRow row;
  row.closed = !hours;
  if (hours) std::tie(row.start, row.end) = *hours;
  dates.back().rows.push_back(row);
}

const date::time_zone* default_zone() {
  static const date::time_zone* zone = date::locate_zone("America/Chicago");
  return zone;
}

const date::time_zone* zone_named(const std::string& name) {
  if (name.empty()) return default_zone();
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return default_zone();
  }
}

std::vector<Interval> business_intervals(const std::vector<WeeklyHoursRow>& hours,
                                         const date::time_zone* zone, FineInstant from,
                                         FineInstant to) {
  return business_intervals(hours, {}, zone, from, to);
}

std::vector<Interval> business_intervals(const std::vector<WeeklyHoursRow>& hours,
                                         const std::vector<SpecialDate>& special,
                                         const date::time_zone* zone, FineInstant from,
                                         FineInstant to) {
  std::vector<Interval> result;
  if (from >= to) return result;
  if (hours.empty() && special.empty()) {
    result.push_back({from, to});
    return result;
  }
  // For special dates a store without weekly rows is open from 00:00 on each
  // date to 00:00 on the next (rules §6): seven 24-hour rows.
  static const std::vector<WeeklyHoursRow> kAllDay = [] {
    std::vector<WeeklyHoursRow> rows;
    for (int day = 0; day < 7; ++day)
      rows.push_back({day, std::chrono::seconds{0}, std::chrono::seconds{0}});
    return rows;
  }();
  const std::vector<WeeklyHoursRow>& weekly = hours.empty() ? kAllDay : hours;

  // Every interval that can reach into [from, to) opens on one of these dates.
  using date::days;
  const auto first_day = date::floor<days>(from) - kZoneMargin;
  const auto last_day = date::floor<days>(to) + kZoneMargin;
  const LocalToUtc to_utc(zone, first_day - days{1}, last_day + days{3});

  std::vector<Interval> raw;
  // Opens [start, end) on `local_date` by rules §3's three cases.
  const auto open = [&](date::local_days local_date, std::chrono::seconds start,
                        std::chrono::seconds end) {
    const LocalSeconds opens = local_date + start;
    // end <= start closes on the next local date (end == start: 24 hours).
    const LocalSeconds closes = end > start ? local_date + end : local_date + days{1} + end;
    Interval interval{to_utc(opens), to_utc(closes)};
    interval.begin = std::max(interval.begin, from);
    interval.end = std::min(interval.end, to);
    if (interval.begin < interval.end) raw.push_back(interval);
  };
  auto next_special = std::lower_bound(
      special.begin(), special.end(), date::local_days{first_day.time_since_epoch()},
      [](const SpecialDate& a, date::local_days day) { return a.date < day; });
  for (date::sys_days d = first_day; d <= last_day; d += days{1}) {
    const date::local_days local_date{d.time_since_epoch()};
    if (next_special != special.end() && next_special->date == local_date) {
      for (const SpecialHoursRow& row : next_special->rows) {
        if (!row.closed) open(local_date, row.start, row.end);
      }
      ++next_special;
      continue;
    }
    const int weekday = monday_based_weekday(local_date);
    for (const WeeklyHoursRow& row : weekly) {
      if (row.day == weekday) open(local_date, row.start, row.end);
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
