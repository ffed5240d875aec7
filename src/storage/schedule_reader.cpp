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
  return special(store, local_days_touching(from, to));
}

std::vector<SpecialDate> ScheduleReader::special(std::int64_t store, LocalDayRange days) {
  std::vector<SpecialDate> dates;
  special_.bind(1, store);
  special_.bind(2, days.first);
  special_.bind(3, days.last);
  while (special_.executeStep()) {
    const date::local_days day{date::days{special_.getColumn(0).getInt64()}};
    if (special_.getColumn(1).isNull()) {
      add_special_row(dates, day, std::nullopt);
    } else {
      add_special_row(dates, day,
                      std::make_pair(std::chrono::seconds{special_.getColumn(1).getInt64()},
                                     std::chrono::seconds{special_.getColumn(2).getInt64()}));
    }
  }
  special_.reset();
  return dates;
}
