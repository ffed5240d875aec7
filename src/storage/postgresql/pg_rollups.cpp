#include "storage/postgresql/pg_rollups.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_polls.hpp"
#include "storage/postgresql/pg_schedule.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

constexpr std::int64_t kMicrosPerHour = std::int64_t{3600} * 1000000;

// One store to roll up: its key, its mark (the largest value when it has
// none: a date settled, nothing out of date), its first and newest polls.
struct StoreToRollUp {
  std::int64_t key;
  std::int64_t from_us;
  std::optional<std::int64_t> first_us;
  std::optional<std::int64_t> latest_us;
};

// Drops every rollup and marks every store out of date when the rollups
// were made with other rules (or none were made yet).
void adopt_rules(PgConnection& db, const StatusRules& rules) {
  const auto made_with = pg_rollup_rules(db);
  if (made_with && same_rules(*made_with, rules)) return;
  db.exec(sql::pg_query("delete_all_rollups"));
  db.exec(sql::pg_query("all_stores_to_roll_up"));
  db.exec(sql::pg_query("set_rollup_rules"),
          {interpolation_name(rules.interpolation),
           rules.max_gap ? std::optional(std::to_string(rules.max_gap->count())) : std::nullopt});
}

// Up to `max_stores`: the stores marked, then those with a date settled.
std::vector<StoreToRollUp> stores_to_roll_up(PgConnection& db, std::size_t max_stores) {
  std::vector<StoreToRollUp> stores;
  const PgResult marked = db.exec(sql::pg_query("stores_to_roll_up"), {std::to_string(max_stores)});
  for (int row = 0; row < marked.rows(); ++row) {
    stores.push_back({marked.int64(row, 0), marked.int64(row, 1), marked.int64_or_null(row, 2),
                      marked.int64_or_null(row, 3)});
  }
  if (stores.size() < max_stores) {
    const PgResult settled = db.exec(sql::pg_query("stores_with_a_date_settled"),
                                     {std::to_string(max_stores - stores.size())});
    for (int row = 0; row < settled.rows(); ++row) {
      stores.push_back({settled.int64(row, 0), std::numeric_limits<std::int64_t>::max(),
                        settled.int64_or_null(row, 1), settled.int64_or_null(row, 2)});
    }
  }
  return stores;
}

// The rollups settled after each store's mark go: out of date (StoreRoller
// in rollups.cpp says why the rest stand).
void delete_out_of_date(PgConnection& db, const std::vector<StoreToRollUp>& stores) {
  std::vector<std::int64_t> keys, marks;
  for (const StoreToRollUp& store : stores) {
    if (store.from_us == std::numeric_limits<std::int64_t>::max()) continue;
    keys.push_back(store.key);
    marks.push_back(store.from_us);
  }
  if (keys.empty()) return;
  db.exec(sql::pg_query("delete_rollups_settled_after"),
          {pg_int64_array(keys), pg_int64_array(marks)});
}

// Each store's last kept rollup, by key (none: not there).
std::map<std::int64_t, KeptRollup> last_rollups(PgConnection& db,
                                                const std::vector<std::int64_t>& keys) {
  std::map<std::int64_t, KeptRollup> kept;
  const PgResult rows = db.exec(sql::pg_query("last_rollups"), {pg_int64_array(keys)});
  for (int row = 0; row < rows.rows(); ++row)
    kept[rows.int64(row, 0)] = pg_kept_rollup(rows, row, 1);
  return kept;
}

// The rollups to write, a column each (insert_rollups).
struct RollupColumns {
  std::vector<std::int64_t> store, day, settled, business, up, down, unknown;

  void add(std::int64_t key, const RollupRow& row) {
    store.push_back(key);
    day.push_back(day_number(row.day));
    settled.push_back(to_micros(row.settled));
    business.push_back(static_cast<std::int64_t>(row.totals.business.count()));
    up.push_back(static_cast<std::int64_t>(row.totals.uptime.count()));
    down.push_back(static_cast<std::int64_t>(row.totals.downtime.count()));
    unknown.push_back(static_cast<std::int64_t>(row.totals.unknown.count()));
  }
  PgParams params() const {
    return {pg_int64_array(store),    pg_int64_array(day), pg_int64_array(settled),
            pg_int64_array(business), pg_int64_array(up),  pg_int64_array(down),
            pg_int64_array(unknown)};
  }
};

// A store this transaction takes: where its roll-up starts, whether it
// reads polls (a date to roll up), and the end of its first date not rolled
// up once done (nullopt: it has no poll).
struct TakenStore {
  const StoreToRollUp* store;
  RollUpStart start;
  bool reads_polls;
  std::optional<std::int64_t> settles_next_us;
};

}  // namespace

BusinessTimes pg_rollup_totals(const PgResult& result, int row, int first) {
  return {HalfMicroseconds{result.int64(row, first)},
          HalfMicroseconds{result.int64(row, first + 1)},
          HalfMicroseconds{result.int64(row, first + 2)},
          HalfMicroseconds{result.int64(row, first + 3)}};
}

KeptRollup pg_kept_rollup(const PgResult& result, int row, int first) {
  return {date::local_days{date::days{result.int64(row, first)}},
          pg_rollup_totals(result, row, first + 1)};
}

std::optional<StatusRules> pg_rollup_rules(PgConnection& db) {
  const PgResult row = db.exec(sql::pg_query("rollup_rules"));
  if (row.rows() == 0 || row.is_null(0, 0)) return std::nullopt;
  return rollup_rules_named(row.text(0, 0), row.int64_or_null(0, 1));
}

PgRollups::PgRollups(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

RollUpCounts PgRollups::roll_up(const StatusRules& rules, std::size_t max_stores,
                                const std::function<void()>& before_commit) {
  PgTransaction transaction(db_);
  db_.exec(sql::pg_query("lock_imports"));  // as SQLite's write lock: no change meanwhile
  adopt_rules(db_, rules);
  const std::vector<StoreToRollUp> stores = stores_to_roll_up(db_, max_stores);
  RollUpCounts counts;
  if (stores.empty()) {
    transaction.commit();  // the rules adopted, if new
    return counts;
  }
  delete_out_of_date(db_, stores);
  std::vector<std::int64_t> keys;
  for (const StoreToRollUp& store : stores) keys.push_back(store.key);
  const std::map<std::int64_t, KeptRollup> kept = last_rollups(db_, keys);
  // Every store's schedule, with the special dates from the earliest date
  // any of them rolls up (a kept date's UTC start is within the margin of
  // its local one) to the newest poll.
  Instant earliest = Instant::max(), latest = Instant::min();
  for (const StoreToRollUp& store : stores) {
    if (!store.first_us || !store.latest_us) continue;
    const auto last = kept.find(store.key);
    const Instant from =
        last == kept.end()
            ? from_micros(*store.first_us)
            : Instant{date::sys_days{last->second.day.time_since_epoch() + date::days{1}}};
    earliest = std::min(earliest, from);
    latest = std::max(latest, from_micros(*store.latest_us));
  }
  std::map<std::int64_t, StoreInput> inputs =
      read_store_schedules(db_, keys, std::min(earliest, latest), latest);
  // The stores taken, in key order, until their polls would pass the bound.
  std::vector<TakenStore> taken;
  std::vector<StoreRange> ranges;
  std::int64_t polls_expected = 0;
  for (const StoreToRollUp& store : stores) {
    if (!store.first_us || !store.latest_us) {
      taken.push_back({&store, {}, false, std::nullopt});
      continue;
    }
    const auto last = kept.find(store.key);
    const RollUpStart start =
        roll_up_start(zone_of(inputs.at(store.key)), *store.first_us,
                      last == kept.end() ? std::nullopt : std::optional(last->second));
    if (*store.latest_us < start.settles_us) {  // no date settled yet
      taken.push_back({&store, start, false, start.settles_us});
      continue;
    }
    const std::int64_t hours = (*store.latest_us - start.begin_us) / kMicrosPerHour + 1;
    if (polls_expected > 0 && polls_expected + hours > static_cast<std::int64_t>(kPollsPerRollUp))
      break;
    polls_expected += hours;
    ranges.push_back({store.key, {start.begin_us, *store.latest_us, *store.latest_us}});
    taken.push_back({&store, start, true, std::nullopt});
  }
  std::vector<std::vector<Poll>> polls = read_polls_in_ranges(db_, ranges);
  RollupColumns written;
  std::vector<std::int64_t> done;
  std::vector<std::optional<std::int64_t>> settles_next;
  std::size_t range = 0;
  for (TakenStore& each : taken) {
    const std::int64_t key = each.store->key;
    if (each.reads_polls) {
      StoreInput& input = inputs.at(key);
      input.polls = std::move(polls[range++]);
      std::int64_t next_us = 0;
      for (const RollupRow& row :
           roll_up_store(input, rules, each.start, from_micros(*each.store->latest_us), next_us)) {
        written.add(key, row);
      }
      each.settles_next_us = next_us;
    }
    done.push_back(key);
    settles_next.push_back(each.settles_next_us);
  }
  if (!written.store.empty()) db_.exec(sql::pg_query("insert_rollups"), written.params());
  db_.exec(sql::pg_query("stores_rolled_up"), {pg_int64_array(done), pg_int64_array(settles_next)});
  counts.stores = taken.size();
  counts.dates = written.store.size();
  if (before_commit) before_commit();
  transaction.commit();
  return counts;
}
