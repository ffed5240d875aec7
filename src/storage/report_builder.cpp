#include "storage/report_builder.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <date/tz.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "core/business_hours.hpp"
#include "core/day_rollup.hpp"
#include "storage/database.hpp"
#include "storage/database_figures.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/raw_statement.hpp"
#include "storage/read_transaction.hpp"
#include "storage/rollups.hpp"
#include "storage/schedule_reader.hpp"
#include "storage/sql_values.hpp"

namespace {

// What a report reads of each store: polls (and special dates) for
// [begin, end], UTC microseconds, as of now; begin <= end <= now.
struct ReadRange {
  std::int64_t begin_us;
  std::int64_t end_us;
  std::int64_t now_us;
};

// The range for [begin, end] as of `now`, clipped at now.
ReadRange read_range(Instant begin, Instant end, Instant now) {
  end = std::min(end, now);
  return {to_micros(std::min(begin, end)), to_micros(end), to_micros(now)};
}

// The UTC range that holds local dates [from, to] in any zone (kZoneMargin
// around them; the day after `to` is where its hours may end).
ReadRange read_range(const DatePeriod& dates, Instant now) {
  const Instant begin = date::sys_days{(dates.from - kZoneMargin).time_since_epoch()};
  const Instant end = date::sys_days{(dates.to + kZoneMargin + date::days{1}).time_since_epoch()};
  return read_range(begin, end, now);
}

// What a report as of `now` with `period` (or without, the week) reads.
ReadRange report_range(const std::optional<Period>& period, Instant now) {
  if (!period) return read_range(now - window_length(last_week), now, now);
  if (const auto* utc = std::get_if<UtcPeriod>(&*period))
    return read_range(utc->from, utc->to, now);
  return read_range(std::get<DatePeriod>(*period), now);
}

struct StoreRef {
  std::int64_t key;
  std::string store_id;
  std::string zone;                           // empty: the default zone
  std::optional<std::int64_t> first_poll_us;  // nullopt: no poll yet
  RollupMarks rollups;                        // which of its rollups a report may read
};

// A StoreRef from the columns of report_stores or store_by_id.
StoreRef store_ref(SQLite::Statement& query) {
  const std::int64_t key = query.getColumn(0).getInt64();
  return {key,
          query.getColumn(1).getString(),
          query.getColumn(2).isNull() ? "" : query.getColumn(2).getString(),
          optional_int(query.getColumn(3)),
          {key, optional_int(query.getColumn(4)), optional_int(query.getColumn(5))}};
}

// The file all of a report's workers together may map, and their page caches
// together: each takes its share. The same page mapped by two connections
// counts twice in the RSS, so a map of 128 MiB and a cache of 8 MiB per
// worker made 16 workers on a 500 MB database take 2 GB; what a worker
// cannot map it reads through its page cache (a report reads each page about
// once, so a small cache loses little).
constexpr std::int64_t kReportMapBytes = 128 << 20;
constexpr std::int64_t kReportCacheBytes = 16 << 20;

// One worker's connection, holding a read transaction (its snapshot) open.
class SnapshotReader {
 public:
  // `share`: of how many workers this is one.
  SnapshotReader(const std::string& path, unsigned share)
      : db_(path, Database::Access::read_only),
        schedule_(db_.sql()),
        polls_(db_.sql(), sql::query("store_polls")),
        rollups_(db_.sql()) {
    db_.set_map_bytes(kReportMapBytes / share);
    db_.set_cache_bytes(kReportCacheBytes / share);
  }

  // Starts a read transaction; its snapshot is fixed by the first read, here.
  std::int64_t begin() {
    transaction_.emplace(db_.sql());
    return db_.sql().execAndGet(sql::query("data_generation")).getInt64();
  }
  void end() { transaction_.reset(); }

  Database& db() { return db_; }
  SQLite::Database& sql() { return db_.sql(); }

  // The store's hours, and its polls and special dates that can matter for
  // `range` as of `now`.
  StoreInput read_store(const StoreRef& store, const date::time_zone* zone,
                        const ReadRange& range) {
    StoreInput input = read_schedule(store, zone, range);
    read_polls(store.key, range, input.polls);
    return input;
  }

  // The store's hours and the special dates that can matter for `range`.
  StoreInput read_schedule(const StoreRef& store, const date::time_zone* zone,
                           const ReadRange& range) {
    StoreInput input;
    input.store_id = store.store_id;
    input.zone = zone;
    input.hours = schedule_.hours(store.key);
    // Special dates up to a week and a day past now: a closed store's next
    // opening (NowStatus) may fall on one.
    const std::int64_t lookahead_us = to_micros(Instant{} + kOpeningLookahead);
    input.special =
        schedule_.special(store.key, from_micros(range.begin_us),
                          from_micros(std::max(range.end_us, range.now_us + lookahead_us)));
    return input;
  }

  // Appends the store's polls that can matter for `range` as of `now`.
  void read_polls(std::int64_t store, const ReadRange& range, std::vector<Poll>& polls) {
    polls_.bind(1, store);
    polls_.bind(2, range.begin_us);
    polls_.bind(3, range.end_us);
    polls_.bind(4, range.now_us);
    while (polls_.step()) {
      polls.push_back({from_micros(polls_.column_int64(0)), polls_.column_int64(1) != 0});
    }
    polls_.reset();
  }

  // The store's rollups of `dates` that a report as of `now` may read.
  std::vector<DayRollup> rollups(const StoreRef& store, const DatePeriod& dates, Instant now) {
    return rollups_.read(store.rollups, dates.from, dates.to, now);
  }

  // The store's figures over local dates `dates` as of `now`: the rollups
  // of the dates rolled up, the polls of the others (docs/rollups.md).
  std::optional<PeriodFigures> rolled_up_figures(const StoreRef& store, const date::time_zone* zone,
                                                 const DatePeriod& dates, Instant now,
                                                 const StatusRules& rules) {
    if (!store.first_poll_us || from_micros(*store.first_poll_us) > now) return std::nullopt;
    const Instant first = from_micros(*store.first_poll_us);
    PeriodFigures figures;
    figures.store_id = store.store_id;
    figures.period = store_period(dates, zone, first, now);
    // The rollups read are consecutive dates (docs/rollups.md): the others
    // are at most a run before them and one after.
    std::vector<DatePeriod> others{dates};
    if (const auto summed = rollups_.sum(store.rollups, dates.from, dates.to, now)) {
      add_times(figures, summed->times);
      others = dates_outside(dates, summed->dates);
    }
    for (const DatePeriod& run : others) {
      const Interval counted = store_period(run, zone, first, now);
      if (counted.begin >= counted.end) continue;  // before the data, or after now
      const StoreInput input = read_store(store, zone, read_range(run, now));
      if (const auto part = compute_period_figures(input, now, rules, run)) {
        add_times(figures, times_of(*part));
      }
    }
    return figures;
  }

 private:
  Database db_;
  ScheduleReader schedule_;
  RawStatement polls_;  // the hot loop
  RollupReader rollups_;
  std::optional<ReadTransaction> transaction_;  // last: ends before the statements go
};

// Opens one reader per worker and starts their transactions on the same
// snapshot: every data change bumps data_state.generation, so equal generations
// mean equal data. A writer committing in between makes us try again.
std::vector<std::unique_ptr<SnapshotReader>> open_same_snapshot(const std::string& path,
                                                                unsigned count) {
  std::vector<std::unique_ptr<SnapshotReader>> readers;
  for (unsigned i = 0; i < count; ++i) {
    readers.push_back(std::make_unique<SnapshotReader>(path, count));
  }
  constexpr int kAttempts = 50;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<std::int64_t> generations;
    for (auto& reader : readers) generations.push_back(reader->begin());
    if (std::adjacent_find(generations.begin(), generations.end(), std::not_equal_to<>()) ==
        generations.end()) {
      return readers;
    }
    for (auto& reader : readers) reader->end();
  }
  throw std::runtime_error("could not get a consistent snapshot: data kept changing");
}

const date::time_zone* zone_named(const StoreRef& store) {
  if (store.zone.empty()) return default_zone();
  try {
    return date::locate_zone(store.zone);
  } catch (const std::exception&) {
    throw std::runtime_error("store " + store.store_id + " has time zone '" + store.zone +
                             "', which this system's tz database does not know");
  }
}

// Each store's place in the report (by store_id), by its index in `stores`
// (sorted by key; read in the same snapshot, so the same stores).
std::vector<std::size_t> report_places(SQLite::Database& db, const std::vector<StoreRef>& stores) {
  std::vector<std::int64_t> keys;  // side by side: the searches stay in the CPU's cache
  keys.reserve(stores.size());
  for (const StoreRef& store : stores) keys.push_back(store.key);
  std::vector<std::size_t> places(stores.size());
  RawStatement query(db, sql::query("report_order"));
  for (std::size_t place = 0; query.step(); ++place) {
    const auto index = std::lower_bound(keys.begin(), keys.end(), query.column_int64(0));
    places[static_cast<std::size_t>(index - keys.begin())] = place;
  }
  return places;
}

// Keeps the rows marked in `filled`, in their order.
template <class Row>
void keep_filled(std::vector<Row>& rows, const std::vector<char>& filled) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!filled[i]) continue;
    if (kept != i) rows[kept] = std::move(rows[i]);
    ++kept;
  }
  rows.resize(kept);
}

// The given as_of, or else the latest poll in the database.
Instant resolve_as_of(Database& db, std::optional<Instant> as_of) {
  if (as_of) return *as_of;
  const auto latest = latest_poll(db);
  if (!latest) throw std::runtime_error("the database holds no polls: nothing to report");
  return *latest;
}

}  // namespace

std::optional<StoreSnapshot> read_store_snapshot(const std::string& db_path,
                                                 const std::string& store_id,
                                                 std::optional<Instant> as_of,
                                                 std::optional<DatePeriod> dates,
                                                 const StatusRules* rules) {
  SnapshotReader reader(db_path, 1);
  reader.begin();  // ends with the reader, however this returns

  SQLite::Statement query(reader.sql(), sql::query("store_by_id"));
  query.bind(1, store_id);
  if (!query.executeStep()) return std::nullopt;
  const StoreRef store = store_ref(query);
  StoreSnapshot snapshot;
  snapshot.zone_name = store.zone;
  snapshot.as_of = as_of ? as_of : latest_poll(reader.db());
  // With no as_of, an end before every poll selects the hours and no polls.
  const Instant now = snapshot.as_of.value_or(Instant::min());
  const ReadRange range = !snapshot.as_of ? ReadRange{0, 0, to_micros(now)}
                          : dates         ? report_range(Period{*dates}, now)
                                          : report_range(std::nullopt, now);
  if (dates && snapshot.as_of && rules && rollups_made_with(reader.sql(), *rules)) {
    // The rolled-up dates from their rollups, the polls of the others only.
    snapshot.input = reader.read_schedule(store, zone_named(store), range);
    snapshot.rolled_up = reader.rollups(store, *dates, now);
    const auto others = dates_not_rolled_up(dates->from, dates->to, snapshot.rolled_up);
    if (!others.empty()) {
      reader.read_polls(store.key,
                        read_range(DatePeriod{others.front().from, others.back().to}, now),
                        snapshot.input.polls);
    }
  } else {
    snapshot.input = reader.read_store(store, zone_named(store), range);
  }
  SQLite::Statement first(reader.sql(), sql::query("store_first_poll"));
  first.bind(1, store.key);
  if (first.executeStep()) snapshot.first_poll = optional_instant(first.getColumn(0));
  return snapshot;
}

Report build_report(const std::string& db_path, const ReportOptions& options,
                    ReportProgress* progress) {
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, threads);
  auto readers = open_same_snapshot(db_path, threads);
  SQLite::Database& first = readers.front()->sql();

  Report report;
  report.rules = options.rules;
  report.period = options.period;
  report.as_of = resolve_as_of(readers.front()->db(), options.as_of);
  const ReadRange range = report_range(options.period, report.as_of);

  std::vector<StoreRef> stores;
  {
    SQLite::Statement query(first, sql::query("report_stores"));
    while (query.executeStep()) stores.push_back(store_ref(query));
  }
  // Dates read from rollups when they were made with the report's rules.
  const DatePeriod* rolled_up_dates = nullptr;
  if (options.read_rollups && options.period) {
    const auto* dates = std::get_if<DatePeriod>(&*options.period);
    if (dates && rollups_made_with(first, options.rules)) {
      rolled_up_dates = dates;
    }
  }
  if (progress) progress->stores_total = stores.size();
  const std::vector<std::size_t> places = report_places(first, stores);

  // Workers take chunks of stores in key order (their polls side by side in
  // the table), each with its own connection, and put each row in its place
  // in the report; places of stores without data stay unfilled.
  constexpr std::size_t kChunk = 256;
  std::atomic<std::size_t> next_chunk{0};
  // The rows of the report's kind, one place per store.
  std::vector<PeriodFigures>* period_rows = nullptr;
  std::vector<StoreFigures>* window_rows = nullptr;
  if (options.period) {
    period_rows = &report.rows.emplace<std::vector<PeriodFigures>>(stores.size());
  } else {
    window_rows = &report.rows.emplace<std::vector<StoreFigures>>(stores.size());
  }
  std::vector<char> filled(stores.size(), 0);  // char: each written by one thread
  std::vector<std::exception_ptr> errors(threads);
  auto work = [&](unsigned worker) {
    try {
      for (;;) {
        if (progress && progress->cancel) throw std::runtime_error("report cancelled");
        const std::size_t begin = next_chunk.fetch_add(1) * kChunk;
        if (begin >= stores.size()) break;
        const std::size_t end = std::min(stores.size(), begin + kChunk);
        for (std::size_t i = begin; i < end; ++i) {
          const std::size_t place = places[i];
          if (rolled_up_dates) {
            auto figures = readers[worker]->rolled_up_figures(
                stores[i], zone_named(stores[i]), *rolled_up_dates, report.as_of, options.rules);
            if ((filled[place] = figures.has_value())) (*period_rows)[place] = std::move(*figures);
            continue;
          }
          const StoreInput input =
              readers[worker]->read_store(stores[i], zone_named(stores[i]), range);
          if (period_rows) {
            auto figures =
                compute_period_figures(input, report.as_of, options.rules, *options.period);
            if ((filled[place] = figures.has_value())) (*period_rows)[place] = std::move(*figures);
          } else {
            auto figures = compute_store_figures(input, report.as_of, options.rules);
            if ((filled[place] = figures.has_value())) (*window_rows)[place] = std::move(*figures);
          }
        }
        if (progress) progress->stores_done += end - begin;
      }
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned worker = 1; worker < threads; ++worker) pool.emplace_back(work, worker);
  work(0);
  for (auto& thread : pool) thread.join();
  for (auto& reader : readers) reader->end();
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }

  std::visit([&filled](auto& rows) { keep_filled(rows, filled); }, report.rows);
  report.stores_without_data = stores.size() - report.stores_reported();
  return report;
}
