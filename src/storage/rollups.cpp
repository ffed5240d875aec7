#include "storage/rollups.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <limits>

#include "common/log.hpp"
#include "common/test_hold.hpp"
#include "core/business_hours.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_rollups.hpp"
#include "storage/schedule_reader.hpp"
#include "storage/sql_values.hpp"

namespace {

// The most dates one roll-up transaction writes (with kPollsPerRollUp, each
// about 20 ms of work; a store polled again after weeks settles every date
// between), and the most stores it takes: the write lock stays short, and
// ingests wait for it little. Between transactions the worker pauses
// kRollUpPause.
constexpr std::size_t kDatesPerRollUp = 20'000;
constexpr std::size_t kStoresPerRollUp = 2'000;
constexpr std::chrono::milliseconds kRollUpPause{20};

// The local date of an instant in a zone.
date::local_days local_date_of(const date::time_zone* zone, Instant instant) {
  return date::floor<date::days>(zone->to_local(instant));
}

// A row's totals (the store's times summed over its rolled-up dates up to
// the row's), in columns [first, first + 4) of the row `row` is on.
BusinessTimes totals_in(const RawStatement& row, int first) {
  return {HalfMicroseconds{row.column_int64(first)}, HalfMicroseconds{row.column_int64(first + 1)},
          HalfMicroseconds{row.column_int64(first + 2)},
          HalfMicroseconds{row.column_int64(first + 3)}};
}

// Drops every rollup and marks every store out of date when the rollups
// were made with other rules (or none were made yet).
void adopt_rules(SQLite::Database& db, const StatusRules& rules) {
  if (rollups_made_with(db, rules)) return;
  db.exec(sql::query("delete_all_rollups"));
  db.exec(sql::query("all_stores_to_roll_up"));
  SQLite::Statement set(db, sql::query("set_rollup_rules"));
  set.bind(1, interpolation_name(rules.interpolation));
  if (rules.max_gap) {
    set.bind(2, static_cast<std::int64_t>(rules.max_gap->count()));
  } else {
    set.bind(2);
  }
  set.exec();
}

// One store out of date from `from_us` (its mark); its first and newest
// polls, and its last frozen date (days since 1970-01-01).
struct StoreToRollUp {
  std::int64_t key;
  std::int64_t from_us;
  std::optional<std::int64_t> first_us;
  std::optional<std::int64_t> latest_us;
  std::optional<std::int64_t> frozen_through;
};

// Makes one store's rollups anew from its mark on (in the caller's transaction).
class StoreRoller {
 public:
  explicit StoreRoller(SQLite::Database& db)
      : schedule_(db),
        polls_(db, sql::query("store_polls")),
        remove_(db, sql::query("delete_store_rollups_settled_after")),
        last_(db, sql::query("last_rollup")),
        insert_(db, sql::query("insert_rollup")),
        done_(db, sql::query("store_rolled_up")) {}

  std::size_t dates_written() const { return dates_written_; }

  // The rollups settled after the mark go (those settled at or before it
  // read no poll that changed: docs/rollups.md); they were the last dates,
  // so the kept ones are the dates up to one, and the dates after it that
  // the polls settle now are rolled up anew. Returns how many polls it read.
  std::size_t roll_up(const StoreToRollUp& store, const StatusRules& rules) {
    remove_rows(store.key, store.from_us,
                store.frozen_through.value_or(std::numeric_limits<std::int64_t>::min()));
    std::size_t polls = 0;
    std::optional<std::int64_t> settles_next_us;
    if (store.first_us && store.latest_us) {
      polls = roll_up_after_kept(store, rules, settles_next_us);
    }
    done_.bind(1, store.key);
    bind_optional_int(done_, 2, settles_next_us);
    done_.exec();
    done_.reset();
    return polls;
  }

 private:
  // Sets `settles_next_us` to the end of the first date still not rolled up.
  std::size_t roll_up_after_kept(const StoreToRollUp& store, const StatusRules& rules,
                                 std::optional<std::int64_t>& settles_next_us) {
    StoreInput input;
    input.zone = schedule_.zone(store.key);
    std::optional<KeptRollup> kept;
    last_.bind(1, store.key);
    if (last_.step())
      kept = KeptRollup{date::local_days{date::days{last_.column_int64(0)}}, totals_in(last_, 1)};
    last_.reset();
    const RollUpStart start = roll_up_start(zone_of(input), *store.first_us, kept);
    settles_next_us = start.settles_us;
    // No poll at or after the end of `from` yet: no date to roll up.
    if (*store.latest_us < start.settles_us) return 0;
    const Instant latest = from_micros(*store.latest_us);
    input.hours = schedule_.hours(store.key);
    input.special = schedule_.special(store.key, from_micros(start.begin_us), latest);
    // Polls from the last one at or before the first date's start (or the
    // store's first) to the newest.
    polls_.bind(1, store.key);
    polls_.bind(2, start.begin_us);
    polls_.bind(3, *store.latest_us);
    polls_.bind(4, *store.latest_us);
    while (polls_.step()) {
      input.polls.push_back({from_micros(polls_.column_int64(0)), polls_.column_int64(1) != 0});
    }
    polls_.reset();
    std::int64_t next_us = 0;
    for (const RollupRow& row : roll_up_store(input, rules, start, latest, next_us)) {
      insert(store.key, row);
      ++dates_written_;
    }
    settles_next_us = next_us;
    return input.polls.size();
  }

  void remove_rows(std::int64_t store, std::int64_t settled_after_us, std::int64_t frozen_through) {
    remove_.bind(1, store);
    remove_.bind(2, settled_after_us);
    remove_.bind(3, frozen_through);
    remove_.exec();
    remove_.reset();
  }
  void insert(std::int64_t store, const RollupRow& row) {
    const BusinessTimes& totals = row.totals;
    insert_.bind(1, store);
    insert_.bind(2, day_number(row.day));
    insert_.bind(3, to_micros(row.settled));
    insert_.bind(4, static_cast<std::int64_t>(totals.business.count()));
    insert_.bind(5, static_cast<std::int64_t>(totals.uptime.count()));
    insert_.bind(6, static_cast<std::int64_t>(totals.downtime.count()));
    insert_.bind(7, static_cast<std::int64_t>(totals.unknown.count()));
    insert_.exec();
    insert_.reset();
  }

  ScheduleReader schedule_;
  RawStatement polls_;
  SQLite::Statement remove_;
  RawStatement last_;
  SQLite::Statement insert_;
  SQLite::Statement done_;
  std::size_t dates_written_ = 0;
};

// SQLite's roll-up, on a connection of its own (the worker's) or a caller's.
class SqliteRollups : public RollupTarget {
 public:
  explicit SqliteRollups(const std::string& path) : owned_(std::in_place, path), db_(*owned_) {}
  explicit SqliteRollups(Database& db) : db_(db) {}

  RollUpCounts roll_up(const StatusRules& rules, std::size_t max_stores,
                       const std::function<void()>& before_commit) override {
    return ::roll_up(db_, rules, max_stores, before_commit);
  }

 private:
  std::optional<Database> owned_;
  Database& db_;
};

}  // namespace

std::optional<StatusRules> rollup_rules_named(const std::string& interpolation,
                                              std::optional<std::int64_t> max_gap_s) {
  const auto parsed = parse_interpolation(interpolation);
  if (!parsed) return std::nullopt;
  StatusRules rules(*parsed);
  if (max_gap_s) rules.max_gap = std::chrono::seconds{*max_gap_s};
  return rules;
}

bool same_rules(const StatusRules& a, const StatusRules& b) {
  return a.interpolation == b.interpolation && a.max_gap == b.max_gap;
}

RolledUpDates rolled_up_sum(date::local_days from, const KeptRollup& last,
                            const KeptRollup& first_from) {
  if (first_from.day < from) return {{from, last.day}, last.totals - first_from.totals};
  return {{first_from.day, last.day}, last.totals};
}

std::int64_t day_number(date::local_days day) {
  return static_cast<std::int64_t>(day.time_since_epoch().count());
}

RollUpStart roll_up_start(const date::time_zone* zone, std::int64_t first_poll_us,
                          const std::optional<KeptRollup>& last_kept) {
  const auto start_us = [zone](date::local_days day) {
    return to_micros(date::floor<std::chrono::microseconds>(local_midnight(zone, day)));
  };
  RollUpStart start;
  start.from = local_date_of(zone, from_micros(first_poll_us));
  if (last_kept) {
    start.from = last_kept->day + date::days{1};
    start.totals = last_kept->totals;
  }
  start.begin_us = start_us(start.from);
  start.settles_us = start_us(start.from + date::days{1});
  return start;
}

std::vector<RollupRow> roll_up_store(const StoreInput& input, const StatusRules& rules,
                                     const RollUpStart& start, Instant latest,
                                     std::int64_t& settles_next_us) {
  const date::time_zone* zone = zone_of(input);
  std::vector<RollupRow> rows;
  BusinessTimes totals = start.totals;
  settles_next_us = start.settles_us;
  for (const DayRollup& day : roll_up_days(input, rules, start.from, local_date_of(zone, latest))) {
    totals += day.times;
    rows.push_back({day.date, day.settled, totals});
    settles_next_us = to_micros(
        date::floor<std::chrono::microseconds>(local_midnight(zone, day.date + date::days{2})));
  }
  return rows;
}

void mark_out_of_date(SQLite::Database& db, const std::vector<std::int64_t>& stores) {
  SQLite::Statement mark(db, sql::query("store_out_of_date"));
  for (std::int64_t store : stores) {
    mark.bind(1, store);
    mark.exec();
    mark.reset();
  }
}

std::optional<StatusRules> rollup_rules(SQLite::Database& db) {
  SQLite::Statement query(db, sql::query("rollup_rules"));
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return rollup_rules_named(query.getColumn(0).getString(), optional_int(query.getColumn(1)));
}

bool rollups_made_with(SQLite::Database& db, const StatusRules& rules) {
  const auto made_with = rollup_rules(db);
  return made_with && same_rules(*made_with, rules);
}

RollUpCounts roll_up(Database& db, const StatusRules& rules, std::size_t max_stores,
                     const std::function<void()>& before_commit) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  adopt_rules(db.sql(), rules);
  // The stores marked first; then, room left, those whose newest polls
  // settled a date (nothing to delete: from the end of time).
  std::vector<StoreToRollUp> stores;
  {
    SQLite::Statement query(db.sql(), sql::query("stores_to_roll_up"));
    query.bind(1, static_cast<std::int64_t>(max_stores));
    while (query.executeStep()) {
      stores.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
                        optional_int(query.getColumn(2)), optional_int(query.getColumn(3)),
                        optional_int(query.getColumn(4))});
    }
  }
  if (stores.size() < max_stores) {
    SQLite::Statement query(db.sql(), sql::query("stores_with_a_date_settled"));
    query.bind(1, static_cast<std::int64_t>(max_stores - stores.size()));
    while (query.executeStep()) {
      stores.push_back({query.getColumn(0).getInt64(), std::numeric_limits<std::int64_t>::max(),
                        optional_int(query.getColumn(1)), optional_int(query.getColumn(2)),
                        optional_int(query.getColumn(3))});
    }
  }
  RollUpCounts counts;
  if (!stores.empty()) {
    StoreRoller roller(db.sql());
    std::size_t polls = 0;
    // The rest wait for the next transaction once this one has read or
    // written enough (a store's year anew is 9,000 hourly polls, 365 dates).
    while (counts.stores < stores.size() && polls < kPollsPerRollUp &&
           roller.dates_written() < kDatesPerRollUp) {
      polls += roller.roll_up(stores[counts.stores++], rules);
    }
    counts.dates = roller.dates_written();
  }
  if (counts.stores > 0 && before_commit) before_commit();
  transaction.commit();
  return counts;
}

std::unique_ptr<RollupTarget> open_rollups(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgRollups>(db);
  return std::make_unique<SqliteRollups>(db);
}

RollUpCounts roll_up_all(RollupTarget& target, const StatusRules& rules, std::size_t max_stores) {
  RollUpCounts total;
  for (RollUpCounts done; (done = target.roll_up(rules, max_stores, {})).stores > 0;) {
    total.stores += done.stores;
    total.dates += done.dates;
  }
  return total;
}

RollUpCounts roll_up_all(Database& db, const StatusRules& rules, std::size_t max_stores) {
  SqliteRollups target(db);
  return roll_up_all(target, rules, max_stores);
}

RollupReader::RollupReader(SQLite::Database& db)
    : rows_(db, sql::query("store_rollups")),
      last_(db, sql::query("last_store_rollup")),
      first_from_(db, sql::query("first_store_rollup_from")) {}

void RollupReader::bind(RawStatement& statement, const RollupMarks& store, date::local_days from,
                        date::local_days to, Instant now) {
  statement.bind(1, store.key);
  statement.bind(2, day_number(from));
  statement.bind(3, day_number(to));
  statement.bind(4, to_micros(now));
  statement.bind(5, store.rollup_from_us.value_or(std::numeric_limits<std::int64_t>::max()));
  statement.bind(6, store.frozen_through.value_or(std::numeric_limits<std::int64_t>::min()));
}

std::vector<DayRollup> RollupReader::read(const RollupMarks& store, date::local_days from,
                                          date::local_days to, Instant now) {
  std::vector<DayRollup> days;
  // From the date before `from`: a date's figures are its totals less the
  // date before's (none before the store's first rollup).
  bind(rows_, store, from - date::days{1}, to, now);
  BusinessTimes before;
  while (rows_.step()) {
    const date::local_days day{date::days{rows_.column_int64(0)}};
    const BusinessTimes totals = totals_in(rows_, 2);
    if (day >= from) days.push_back({day, from_micros(rows_.column_int64(1)), totals - before});
    before = totals;
  }
  rows_.reset();
  return days;
}

std::optional<RolledUpDates> RollupReader::sum(const RollupMarks& store, date::local_days from,
                                               date::local_days to, Instant now) {
  bind(last_, store, from, to, now);
  if (!last_.step()) {
    last_.reset();
    return std::nullopt;  // none to read
  }
  const KeptRollup last{date::local_days{date::days{last_.column_int64(0)}}, totals_in(last_, 1)};
  last_.reset();
  // The rollup of the date before `from`, if the store has one; else its
  // first (the last one read is at or after it).
  first_from_.bind(1, store.key);
  first_from_.bind(2, day_number(from - date::days{1}));
  KeptRollup first_from = last;
  if (first_from_.step()) {
    first_from = {date::local_days{date::days{first_from_.column_int64(0)}},
                  totals_in(first_from_, 1)};
  }
  first_from_.reset();
  return rolled_up_sum(from, last, first_from);
}

RollupWorker::RollupWorker(const std::string& db, WorkerLease& lease, const StatusRules& rules,
                           std::chrono::milliseconds check_every)
    : target_(open_rollups(db)),
      lease_(lease),
      rules_(rules),
      hold_(test_hold("UPTIME_TEST_HOLD_ROLLUP")),
      thread_("roll-up failed", check_every, PeriodicThread::FirstStep::at_start,
              [this] { step(); }) {}

void RollupWorker::step() {
  if (!lease_.held()) return;  // another server rolls up
  RollUpCounts total;
  for (RollUpCounts done; (done = target_->roll_up(rules_, kStoresPerRollUp, hold_)).stores > 0;) {
    total.stores += done.stores;
    total.dates += done.dates;
    if (!thread_.pause(kRollUpPause)) break;
  }
  // Polls arriving on time mark their stores but settle a date about once a
  // day each: only dates written are worth a line.
  if (total.dates > 0) {
    log_info("rolled up " + std::to_string(total.dates) + " local dates of " +
                 std::to_string(total.stores) + " stores",
             {{"dates", total.dates}, {"stores", total.stores}});
  }
}
