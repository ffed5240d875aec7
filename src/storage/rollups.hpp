// Daily rollups in the database (docs/rollups.md): each store's figures per
// local date (core/day_rollup.hpp), made with one set of rules (the server's
// default options), kept up to date as polls arrive and as hours change.
// SQLite's here; PostgreSQL's (the same rows) in postgresql/pg_rollups.hpp,
// both through RollupTarget, and what they share: where a store's roll-up
// starts and the rows it writes.
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
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/periodic_thread.hpp"
#include "core/day_rollup.hpp"
#include "core/store_input.hpp"
#include "storage/database.hpp"
#include "storage/raw_statement.hpp"
#include "storage/worker_lease.hpp"

// The rules a rollup_rules row names (interpolation's name, max_gap in
// seconds or none); nullopt when it names none.
std::optional<StatusRules> rollup_rules_named(const std::string& interpolation,
                                              std::optional<std::int64_t> max_gap_s);
bool same_rules(const StatusRules& a, const StatusRules& b);

// A store's last kept rollup: its local date and the totals through it.
struct KeptRollup {
  date::local_days day;
  BusinessTimes totals;
};

// Where a store's roll-up starts: the first date after its last kept rollup
// (its first poll's date when none is kept), the totals it goes on from, and
// in UTC µs that date's start (its polls are read from the last one at or
// before it) and end (no date is settled before a poll at or after it).
struct RollUpStart {
  date::local_days from;
  BusinessTimes totals;
  std::int64_t begin_us;
  std::int64_t settles_us;
};
RollUpStart roll_up_start(const date::time_zone* zone, std::int64_t first_poll_us,
                          const std::optional<KeptRollup>& last_kept);

// A rollup to write: the store's totals through its date.
struct RollupRow {
  date::local_days day;
  Instant settled;  // the store's first poll at or after the date's end
  BusinessTimes totals;
};

// The dates from `start.from` that the polls of `input` (from the last one
// at or before start.begin_us to the newest, `latest`) settle, totals
// running on; `settles_next_us` becomes the end of the first date not
// rolled up after them.
std::vector<RollupRow> roll_up_store(const StoreInput& input, const StatusRules& rules,
                                     const RollUpStart& start, Instant latest,
                                     std::int64_t& settles_next_us);

// A store's rollups read for dates from `from` on, summed: `last` (the
// last one read) less the totals before `from`. `first_from` is the store's
// first rollup of the date before `from` or later: when it is of that date,
// its totals are those before; else it is the store's first rollup, and
// nothing is before it. Either engine reads the two rows, then this.
RolledUpDates rolled_up_sum(date::local_days from, const KeptRollup& last,
                            const KeptRollup& first_from);

// The days since 1970-01-01 of a local date: a rollup's `day` column.
std::int64_t day_number(date::local_days day);

// The stores' rollups are out of date from their first poll on (their hours,
// special dates or zone changed). Inside the caller's transaction.
void mark_out_of_date(SQLite::Database& db, const std::vector<std::int64_t>& stores);

// The rules the rollups were made with; nullopt when none were made yet.
std::optional<StatusRules> rollup_rules(SQLite::Database& db);

// Whether the rollups were made with `rules`: only then may a report with
// them read rollups.
bool rollups_made_with(SQLite::Database& db, const StatusRules& rules);

// The most polls one roll-up transaction reads, on either engine (a store
// polled again after weeks reads them all): the write lock stays short.
constexpr std::size_t kPollsPerRollUp = 100'000;

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

// What the roll-up writes through, whatever the engine: SQLite's (roll_up)
// or PostgreSQL's (PgRollups).
class RollupTarget {
 public:
  virtual ~RollupTarget() = default;
  // roll_up's contract, on the target's database.
  virtual RollUpCounts roll_up(const StatusRules& rules, std::size_t max_stores,
                               const std::function<void()>& before_commit) = 0;
};

// The target for the database `db` names, on a connection of its own:
// PostgreSQL's for a postgresql:// or postgres:// URL, else SQLite's.
std::unique_ptr<RollupTarget> open_rollups(const std::string& db);

// Rolls up every store out of date, `max_stores` per transaction.
RollUpCounts roll_up_all(RollupTarget& target, const StatusRules& rules,
                         std::size_t max_stores = 500);
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
// lock left free in between, while this process holds `lease` (one server
// at a time on PostgreSQL). Stops (and joins) when destroyed.
class RollupWorker {
 public:
  // `db`: a SQLite path or a PostgreSQL URL (open_rollups).
  RollupWorker(const std::string& db, WorkerLease& lease, const StatusRules& rules,
               std::chrono::milliseconds check_every = std::chrono::seconds{5});

 private:
  void step();

  std::unique_ptr<RollupTarget> target_;
  WorkerLease& lease_;
  StatusRules rules_;
  std::function<void()> hold_;  // UPTIME_TEST_HOLD_ROLLUP
  PeriodicThread thread_;
};
