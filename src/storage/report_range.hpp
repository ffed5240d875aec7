// What a report reads of each store, in UTC microseconds: the range its
// figures cover and the report's now. Every engine selects the same polls
// and special dates for it (sql/queries/report.sql, store_polls).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/period.hpp"

// Polls (and special dates) for [begin, end] as of now; begin <= end <= now.
struct ReadRange {
  std::int64_t begin_us;
  std::int64_t end_us;
  std::int64_t now_us;
};

// The range for [begin, end] as of `now`, clipped at now.
ReadRange read_range(Instant begin, Instant end, Instant now);

// The UTC range that holds local dates [from, to] in any zone (kZoneMargin
// around them; the day after `to` is where its hours may end).
ReadRange read_range(const DatePeriod& dates, Instant now);

// What a report as of `now` with `period` (or without, the week) reads.
ReadRange report_range(const std::optional<Period>& period, Instant now);

// The local dates whose special hours can reach into the range, or into
// the week after now (a closed store's next opening, NowStatus, may fall on
// one).
LocalDayRange special_days(const ReadRange& range);

// The zone of a store whose timezone column holds `zone_name` (empty: the
// default, rules §2). Throws std::runtime_error naming the store when the
// system's tz database does not know it.
const date::time_zone* store_zone(const std::string& store_id, const std::string& zone_name);
