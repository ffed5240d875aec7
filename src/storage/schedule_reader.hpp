// A store's weekly hours and special dates as the core takes them: the one
// place their rows become WeeklyHoursRow and SpecialDate values (report
// snapshots and alerts both read them). Statements prepared once.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <utility>
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

// The weekly hours and special dates of a range of stores read in two
// statements, then handed out store by store: a report reads its stores in
// ranges of keys, and two statements for each store were a tenth of a
// report (the same rows, in the same order, as ScheduleReader's).
class ScheduleChunk {
 public:
  explicit ScheduleChunk(SQLite::Database& db);

  // Reads the rows of the stores with keys in [begin, end), and their
  // special dates among `days`.
  void read(std::int64_t begin, std::int64_t end, LocalDayRange days);
  // Whether the store's rows were read.
  bool holds(std::int64_t store) const { return store >= begin_ && store < end_; }
  // A store's rows (holds(store)); stores asked for in increasing key
  // order, one as often as needed. Its special dates among `days`, which
  // must be within those read.
  std::vector<WeeklyHoursRow> hours(std::int64_t store);
  std::vector<SpecialDate> special(std::int64_t store, LocalDayRange days);

 private:
  using SpecialRow =
      std::pair<std::int64_t,  // local date, days since 1970-01-01
                std::optional<std::pair<std::chrono::seconds, std::chrono::seconds>>>;

  SQLite::Statement hours_;
  SQLite::Statement special_;
  std::int64_t begin_ = 0;
  std::int64_t end_ = 0;
  // (store, row) by store, as read; the first row of the store asked last.
  std::vector<std::pair<std::int64_t, WeeklyHoursRow>> hours_rows_;
  std::size_t hours_at_ = 0;
  std::vector<std::pair<std::int64_t, SpecialRow>> special_rows_;
  std::size_t special_at_ = 0;
};
