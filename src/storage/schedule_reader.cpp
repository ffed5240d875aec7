#include "storage/schedule_reader.hpp"

#include <date/tz.h>

#include "storage/embedded_sql.hpp"

namespace {

// A weekly hours row from columns `first` on (day, start_s, end_s).
WeeklyHoursRow hours_row(SQLite::Statement& query, int first) {
  return {query.getColumn(first).getInt(),
          std::chrono::seconds{query.getColumn(first + 1).getInt64()},
          std::chrono::seconds{query.getColumn(first + 2).getInt64()}};
}

// A special row's times from columns `first` on (start_s, end_s): none, closed.
std::optional<std::pair<std::chrono::seconds, std::chrono::seconds>> special_times(
    SQLite::Statement& query, int first) {
  if (query.getColumn(first).isNull()) return std::nullopt;
  return std::make_pair(std::chrono::seconds{query.getColumn(first).getInt64()},
                        std::chrono::seconds{query.getColumn(first + 1).getInt64()});
}

}  // namespace

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
  while (hours_.executeStep()) rows.push_back(hours_row(hours_, 0));
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
    add_special_row(dates, date::local_days{date::days{special_.getColumn(0).getInt64()}},
                    special_times(special_, 1));
  }
  special_.reset();
  return dates;
}

ScheduleChunk::ScheduleChunk(SQLite::Database& db)
    : hours_(db, sql::query("chunk_hours")), special_(db, sql::query("chunk_special_hours")) {}

void ScheduleChunk::read(std::int64_t begin, std::int64_t end, LocalDayRange days) {
  begin_ = begin;
  end_ = end;
  hours_rows_.clear();
  hours_at_ = 0;
  hours_.bind(1, begin);
  hours_.bind(2, end);
  while (hours_.executeStep()) {
    hours_rows_.emplace_back(hours_.getColumn(0).getInt64(), hours_row(hours_, 1));
  }
  hours_.reset();
  special_rows_.clear();
  special_at_ = 0;
  special_.bind(1, begin);
  special_.bind(2, end);
  special_.bind(3, days.first);
  special_.bind(4, days.last);
  while (special_.executeStep()) {
    special_rows_.emplace_back(
        special_.getColumn(0).getInt64(),
        SpecialRow{special_.getColumn(1).getInt64(), special_times(special_, 2)});
  }
  special_.reset();
}

std::vector<WeeklyHoursRow> ScheduleChunk::hours(std::int64_t store) {
  while (hours_at_ < hours_rows_.size() && hours_rows_[hours_at_].first < store) ++hours_at_;
  std::vector<WeeklyHoursRow> rows;
  for (std::size_t at = hours_at_; at < hours_rows_.size() && hours_rows_[at].first == store;
       ++at) {
    rows.push_back(hours_rows_[at].second);
  }
  return rows;
}

std::vector<SpecialDate> ScheduleChunk::special(std::int64_t store, LocalDayRange days) {
  while (special_at_ < special_rows_.size() && special_rows_[special_at_].first < store) {
    ++special_at_;
  }
  std::vector<SpecialDate> dates;
  for (std::size_t at = special_at_; at < special_rows_.size() && special_rows_[at].first == store;
       ++at) {
    const auto& [day, times] = special_rows_[at].second;
    if (day < days.first || day > days.last) continue;
    add_special_row(dates, date::local_days{date::days{day}}, times);
  }
  return dates;
}
