#include "storage/report_range.hpp"

#include <date/tz.h>

#include <algorithm>
#include <stdexcept>

#include "core/report.hpp"
#include "core/timestamps.hpp"

ReadRange read_range(Instant begin, Instant end, Instant now) {
  end = std::min(end, now);
  return {to_micros(std::min(begin, end)), to_micros(end), to_micros(now)};
}

ReadRange read_range(const DatePeriod& dates, Instant now) {
  const Instant begin = date::sys_days{(dates.from - kZoneMargin).time_since_epoch()};
  const Instant end = date::sys_days{(dates.to + kZoneMargin + date::days{1}).time_since_epoch()};
  return read_range(begin, end, now);
}

ReadRange report_range(const std::optional<Period>& period, Instant now) {
  if (!period) return read_range(now - window_length(last_week), now, now);
  if (const auto* utc = std::get_if<UtcPeriod>(&*period))
    return read_range(utc->from, utc->to, now);
  return read_range(std::get<DatePeriod>(*period), now);
}

LocalDayRange special_days(const ReadRange& range) {
  const std::int64_t lookahead_us = to_micros(Instant{} + kOpeningLookahead);
  return local_days_touching(from_micros(range.begin_us),
                             from_micros(std::max(range.end_us, range.now_us + lookahead_us)));
}

const date::time_zone* store_zone(const std::string& store_id, const std::string& zone_name) {
  if (zone_name.empty()) return default_zone();
  try {
    return date::locate_zone(zone_name);
  } catch (const std::exception&) {
    throw std::runtime_error("store " + store_id + " has time zone '" + zone_name +
                             "', which this system's tz database does not know");
  }
}
