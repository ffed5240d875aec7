#include "storage/schedule_reader.hpp"

#include <date/tz.h>

#include "storage/embedded_sql.hpp"

ScheduleReader::ScheduleReader(SQLite::Database& db)
    : hours_(db, sql::query("store_hours")),
      special_(db, sql::query("store_special_hours")),
      zone_(db, sql::query("store_zone_by_key")) {}

const date::time_zone* ScheduleReader::zone(std::int64_t store) {
  const date::time_zone* zone = nullptr;
  zone_.bind(1, store);
  if (zone_.executeStep() && !zone_.getColumn(0).isNull()) {
    zone = date::locate_zone(zone_.getColumn(0).getString());
  }
  zone_.reset();
  return zone;
}

StoreInput ScheduleReader::schedule(std::int64_t store, Instant from, Instant to) {
  StoreInput input;
  input.zone = zone(store);
  input.hours = hours(store);
  input.special = special(store, from, to);
  return input;
}

std::vector<WeeklyHoursRow> ScheduleReader::hours(std::int64_t store) {
  std::vector<WeeklyHoursRow> rows;
  hours_.bind(1, store);
  while (hours_.executeStep()) {
    rows.push_back({hours_.getColumn(0).getInt(),
                    std::chrono::seconds{hours_.getColumn(1).getInt64()},
                    std::chrono::seconds{hours_.getColumn(2).getInt64()}});
  }
  hours_.reset();
  return rows;
}

std::vector<SpecialDate> ScheduleReader::special(std::int64_t store, Instant from, Instant to) {
  const auto day_of = [](Instant instant) {
    return static_cast<std::int64_t>(date::floor<date::days>(instant).time_since_epoch().count());
  };
  std::vector<SpecialDate> dates;
  special_.bind(1, store);
  // The special dates whose hours can reach into [from, to).
  special_.bind(2, day_of(from) - kZoneMargin.count());
  special_.bind(3, day_of(to) + kZoneMargin.count());
  while (special_.executeStep()) {
    const date::local_days day{date::days{special_.getColumn(0).getInt64()}};
    if (dates.empty() || dates.back().date != day) dates.push_back({day, {}});
    SpecialHoursRow row;
    row.closed = special_.getColumn(1).isNull();
    if (!row.closed) {
      row.start = std::chrono::seconds{special_.getColumn(1).getInt64()};
      row.end = std::chrono::seconds{special_.getColumn(2).getInt64()};
    }
    dates.back().rows.push_back(row);
  }
  special_.reset();
  return dates;
}
