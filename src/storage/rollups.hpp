// Daily rollups in the database (docs/rollups.md): each store's figures per
// local date (core/day_rollup.hpp), made with one set of rules (the server's
// default options), kept up to date as polls arrive and as hours change.
//
// Whatever changes a store's polls or schedule marks it out of date in the
// same transaction (stores.rollup_from_us); a roll-up makes its rollups anew
// from that instant on and clears the mark, in one transaction, so a crash
// anywhere leaves either the old rollups with the mark or the new ones.
// Readers never trust a rollup settled after the mark (rollups.sql), but
// always those of frozen dates, whose polls retention deleted
// (stores.frozen_through_day: nothing can make them anew).
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/periodic_thread.hpp"
#include "core/day_rollup.hpp"
#include "storage/database.hpp"
#include "storage/raw_statement.hpp"

// The stores' rollups are out of date from their first poll on (their hours,
// special dates or zone changed). Inside the caller's transaction.
void mark_out_of_date(SQLite::Database& db, const std::vector<std::int64_t>& stores);

// The rules the rollups were made with; nullopt when none were made yet.
std::optional<StatusRules> rollup_rules(SQLite::Database& db);

// Whether the rollups were made with `rules`: only then may a report with
// them read rollups.
bool rollups_made_with(SQLite::Database& db, const StatusRules& rules);

// What a roll-up did: the stores it brought up to date, the dates it wrote.
struct RollUpCounts {
  std::size_t stores = 0;
  std::size_t dates = 0;
};

// Rolls up to `max_stores` of the stores marked out of date, then of those
// whose newest polls settled a date (fewer once it has read 100,000 polls or
// written 20,000 dates), in one write transaction; stores == 0: none was
// waiting. When the rollups were made with other rules, drops them all
// first (every store out of date). `before_commit` (a test's hold) runs just
// before the commit. Throws std::runtime_error when the database fails.
RollUpCounts roll_up(Database& db, const StatusRules& rules, std::size_t max_stores,
                     const std::function<void()>& before_commit = {});

// Rolls up every store out of date, `max_stores` per transaction.
RollUpCounts roll_up_all(Database& db, const StatusRules& rules, std::size_t max_stores = 500);

// What tells which of a store's rollups a report may read.
struct RollupMarks {
  std::int64_t key;
  std::optional<std::int64_t> rollup_from_us;  // stores.rollup_from_us; nullopt: up to date
  std::optional<std::int64_t> frozen_through;  // stores.frozen_through_day; nullopt: none
};

// The rollups of one store that a report as of `now` may read for local
// dates [from, to]: settled by then, and frozen or up to date; consecutive
// dates, the first of the store's (docs/rollups.md).
class RollupReader {
 public:
  explicit RollupReader(SQLite::Database& db);
  // Each date's figures, sorted by date.
  std::vector<DayRollup> read(const RollupMarks& store, date::local_days from, date::local_days to,
                              Instant now);
  // The same summed (nullopt: none), from two rows whatever the period's
  // length: the last one's totals less those of the date before the first.
  std::optional<RolledUpDates> sum(const RollupMarks& store, date::local_days from,
                                   date::local_days to, Instant now);

 private:
  static void bind(RawStatement& statement, const RollupMarks& store, date::local_days from,
                   date::local_days to, Instant now);

  RawStatement rows_;
  RawStatement last_;
  RawStatement first_from_;
};

// Rolls up the stores marked out of date on its own connection: at start,
// then every `check_every`, in short transactions (roll_up) with the write
// lock left free in between. Stops (and joins) when destroyed.
class RollupWorker {
 public:
  RollupWorker(const std::string& db_path, const StatusRules& rules,
               std::chrono::milliseconds check_every = std::chrono::seconds{5});

 private:
  void step();

  Database db_;
  StatusRules rules_;
  std::function<void()> hold_;  // UPTIME_TEST_HOLD_ROLLUP
  PeriodicThread thread_;
};
