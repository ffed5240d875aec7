// A store's weekly hours and special dates as the core takes them: the one
// place their rows become WeeklyHoursRow and SpecialDate values (report
// snapshots and alerts both read them). Statements prepared once.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <vector>

#include "core/business_hours.hpp"
#include "core/store_input.hpp"
#include "core/timestamps.hpp"

class ScheduleReader {
 public:
  explicit ScheduleReader(SQLite::Database& db);

  // The store's zone as given (nullptr: none, the default; core/store_input.hpp).
  const date::time_zone* zone(std::int64_t store);
  std::vector<WeeklyHoursRow> hours(std::int64_t store);
  // The special dates that can touch the UTC instants [from, to]: local dates
  // within two days of their UTC dates (no zone is a day away from UTC, and
  // an interval lasts at most a day), grouped by date.
  std::vector<SpecialDate> special(std::int64_t store, Instant from, Instant to);
  // The special dates of local dates `days`, grouped by date.
  std::vector<SpecialDate> special(std::int64_t store, LocalDayRange days);
  // What the core needs to tell when the store is open in [from, to]: its
  // zone (nullptr: the default), weekly hours and those special dates; no polls.
  StoreInput schedule(std::int64_t store, Instant from, Instant to);

 private:
  SQLite::Statement hours_;
  SQLite::Statement special_;
  SQLite::Statement zone_;
};
