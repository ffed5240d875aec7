// Daily rollups on PostgreSQL (docs/rollups.md): the same rows as SQLite's
// (rollups.hpp), made by the worker lease's holder, a batch of stores a
// transaction and a few statements a batch. The stores' marks are set by
// whatever changes their polls or schedules (sql/postgresql/queries/import.sql),
// in the change's transaction; the roll-up takes the imports' lock, so no
// change lands between its reading a store and clearing the store's mark.
#pragma once

#include <optional>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/rollups.hpp"

// A rollup's totals in columns [first, first + 4) of `row` (business, up,
// down, unknown), and a rollup's date followed by its totals from column
// `first` on: as the queries of rollups.sql list them.
BusinessTimes pg_rollup_totals(const PgResult& result, int row, int first);
KeptRollup pg_kept_rollup(const PgResult& result, int row, int first);

// The rules PostgreSQL's rollups were made with; nullopt: none made yet.
std::optional<StatusRules> pg_rollup_rules(PgConnection& db);

class PgRollups : public RollupTarget {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgRollups(const std::string& url);

  // As SQLite's roll_up: the stores marked out of date first, then those
  // whose newest polls settled a date, up to `max_stores` and fewer once
  // their polls would pass kPollsPerRollUp (counted as one an hour, the
  // platform's rate, so that they are not read to be counted).
  RollUpCounts roll_up(const StatusRules& rules, std::size_t max_stores,
                       const std::function<void()>& before_commit) override;

 private:
  PgConnection db_;
};
