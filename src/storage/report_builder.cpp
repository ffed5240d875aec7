#include "storage/report_builder.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <date/tz.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "core/business_hours.hpp"
#include "core/day_rollup.hpp"
#include "core/week_from_rollups.hpp"
#include "storage/database.hpp"
#include "storage/database_figures.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/raw_statement.hpp"
#include "storage/read_transaction.hpp"
#include "storage/report_range.hpp"
#include "storage/report_workers.hpp"
#include "storage/rollups.hpp"
#include "storage/schedule_reader.hpp"
#include "storage/sql_values.hpp"

namespace {

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
        chunk_(db_.sql()),
        polls_from_(db_.sql(), sql::query("store_polls_from")),
        poll_before_(db_.sql(), sql::query("store_poll_before")),
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

  // Reads the hours and special dates of the stores with keys in [begin,
  // end) that can matter for `range` at once: read_schedule takes theirs
  // from there, store by store in key order.
  void read_schedules(std::int64_t begin, std::int64_t end, const ReadRange& range) {
    chunk_.read(begin, end, special_days(range));
  }

  // The store's hours and the special dates that can matter for `range`
  // (within those read_schedules read, for a store it read).
  StoreInput read_schedule(const StoreRef& store, const date::time_zone* zone,
                           const ReadRange& range) {
    StoreInput input;
    input.store_id = store.store_id;
    input.zone = zone;
    const bool read = chunk_.holds(store.key);
    input.hours = read ? chunk_.hours(store.key) : schedule_.hours(store.key);
    input.special = read ? chunk_.special(store.key, special_days(range))
                         : schedule_.special(store.key, special_days(range));
    return input;
  }

  // Appends the store's polls that can matter for `range` as of `now`, as
  // store_polls (sql/queries/report.sql) selects them: the last one before
  // it, those inside, the first one after it, none after now. Read from a
  // little before the range, where the poll before it usually is, so that
  // one seek reads them all: each of store_polls's three took about as long
  // as reading a day of polls.
  void read_polls(std::int64_t store, const ReadRange& range, std::vector<Poll>& polls) {
    constexpr std::int64_t kLookBehindUs = std::int64_t{3} * 3600 * 1000000;  // 3 polls
    std::optional<Poll> before;  // the last poll read before the range
    bool inside = false;         // whether a poll at or after the range's start was read
    polls_from_.bind(1, store);
    polls_from_.bind(2, range.begin_us - kLookBehindUs);
    while (polls_from_.step()) {
      const std::int64_t at = polls_from_.column_int64(0);
      if (at > range.now_us) break;
      const Poll poll{from_micros(at), polls_from_.column_int64(1) != 0};
      if (at < range.begin_us) {
        before = poll;
        continue;
      }
      if (!inside) {
        inside = true;
        if (!before) before = poll_before(store, range.begin_us);
        if (before) polls.push_back(*before);
      }
      polls.push_back(poll);
      if (at > range.end_us) break;  // the first one after the range
    }
    polls_from_.reset();
    if (!inside) {  // none since the range's start: the one before speaks for it
      if (!before) before = poll_before(store, range.begin_us);
      if (before) polls.push_back(*before);
    }
  }

  // The store's last poll before `at_us`, if any.
  std::optional<Poll> poll_before(std::int64_t store, std::int64_t at_us) {
    poll_before_.bind(1, store);
    poll_before_.bind(2, at_us);
    std::optional<Poll> poll;
    if (poll_before_.step()) {
      poll = Poll{from_micros(poll_before_.column_int64(0)), poll_before_.column_int64(1) != 0};
    }
    poll_before_.reset();
    return poll;
  }

  // The store's rollups of `dates` that a report as of `now` may read.
  std::vector<DayRollup> rollups(const StoreRef& store, const DatePeriod& dates, Instant now) {
    return rollups_.read(store.rollups, dates.from, dates.to, now);
  }

  // The store's three windows as of `now` with the whole local dates of its
  // week read from rollups and the polls of the rest
  // (core/week_from_rollups.hpp); nullopt when rollups cannot stand for
  // them (a store first polled inside the week, dates not rolled up) or its
  // status now needs the whole week: the caller then reads the week.
  std::optional<StoreFigures> rolled_up_week(const StoreRef& store, const date::time_zone* zone,
                                             Instant now, const StatusRules& rules,
                                             const ReadRange& week) {
    const Instant week_begin = now - window_length(last_week);
    if (!store.first_poll_us || from_micros(*store.first_poll_us) > week_begin) return std::nullopt;
    const auto dates = week_whole_dates(zone, now);
    if (!dates) return std::nullopt;
    // A week's few dates in one seek and scan (RollupReader::sum seeks twice).
    const std::vector<DayRollup> days = rollups_.read(store.rollups, dates->from, dates->to, now);
    auto cuts = week_cuts(zone, now, days, *dates);
    if (!cuts) return std::nullopt;
    const StoreInput input = read_schedule(store, zone, week);
    const auto read_tail = [&] {
      tail_.clear();
      read_polls(store.key,
                 read_range(date::floor<std::chrono::microseconds>(cuts->tail_begin), now, now),
                 tail_);
      return figures_but_week_head(input, tail_, now, rules, *cuts);
    };
    TailFigures tail = read_tail();
    if (!tail.status_known) {
      const auto longer =
          stretch_break_before(zone, tail.figures.now.state, days, cuts->tail_begin);
      if (!longer) return std::nullopt;
      cuts->tail_begin = *longer;
      tail = read_tail();
      if (!tail.status_known) return std::nullopt;
    }
    head_.clear();
    read_polls(store.key,
               read_range(week_begin, date::ceil<std::chrono::microseconds>(cuts->head_end), now),
               head_);
    add_week_head(tail.figures, input, head_, now, rules, *cuts);
    return std::move(tail.figures);
  }

  // The store's figures over local dates `dates` as of `now`: the rollups
  // of the dates rolled up, the polls of the others (docs/rollups.md).
  std::optional<PeriodFigures> rolled_up_figures(const StoreRef& store, const date::time_zone* zone,
                                                 const DatePeriod& dates, Instant now,
                                                 const StatusRules& rules) {
    if (!store.first_poll_us || from_micros(*store.first_poll_us) > now) return std::nullopt;
    const Instant first = from_micros(*store.first_poll_us);
    const auto summed = rollups_.sum(store.rollups, dates.from, dates.to, now);
    std::vector<std::optional<PeriodFigures>> runs;
    for (const DatePeriod& run : runs_from_polls(dates, summed, zone, first, now)) {
      runs.push_back(
          compute_period_figures(read_store(store, zone, read_range(run, now)), now, rules, run));
    }
    return period_from_rollups(store.store_id, dates, zone, first, now, summed, runs);
  }

 private:
  Database db_;
  ScheduleReader schedule_;
  ScheduleChunk chunk_;      // the stores of the chunk being read
  RawStatement polls_from_;  // the hot loop
  RawStatement poll_before_;
  std::vector<Poll> head_;  // a week's polls read in parts (rolled_up_week)
  std::vector<Poll> tail_;
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
  return store_zone(store.store_id, store.zone);
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

namespace {

// Which rollups a report reads (docs/rollups.md): those of a period's dates
// (`dates`), or of the whole dates in each store's week (`week`); neither
// when they were made with other rules, or the caller asked for polls.
struct RollupUse {
  const DatePeriod* dates = nullptr;
  bool week = false;
};

// One store's row of a report, or nullopt when it has no data for it.
template <class Row>
std::optional<Row> compute_row(SnapshotReader& reader, const StoreRef& store,
                               const ReportOptions& options, Instant as_of, const ReadRange& range,
                               const RollupUse& rollups) {
  if constexpr (std::is_same_v<Row, PeriodFigures>) {
    if (rollups.dates) {
      return reader.rolled_up_figures(store, zone_named(store), *rollups.dates, as_of,
                                      options.rules);
    }
  } else {
    if (rollups.week) {
      if (auto row = reader.rolled_up_week(store, zone_named(store), as_of, options.rules, range)) {
        return row;
      }
    }
  }
  return compute_input_row<Row>(reader.read_store(store, zone_named(store), range), options, as_of);
}

// The rows of every store with a key up to `last_key` to `sink` by
// store_id: each worker reads its stores and their data on its own
// connection on the snapshot (report_workers.hpp).
template <class Row>
std::size_t stream_rows(const std::string& db_path,
                        std::vector<std::unique_ptr<SnapshotReader>>& readers,
                        std::int64_t last_key, const ReportOptions& options, Instant as_of,
                        const RollupUse& rollups, const ReportRowsSink& sink,
                        ReportProgress* progress) {
  const ReadRange range = report_range(options.period, as_of);
  std::vector<std::optional<SQLite::Statement>> queries(readers.size());
  const auto compute_chunk = [&](std::size_t worker, std::int64_t begin, std::int64_t end,
                                 std::vector<Row>& rows) {
    SnapshotReader& reader = *readers[worker];
    auto& query = queries[worker];
    if (!query) query.emplace(reader.sql(), sql::query("report_stores"));
    query->bind(1, begin);
    query->bind(2, end);
    reader.read_schedules(begin, end, range);
    std::size_t stores = 0;
    while (query->executeStep()) {
      const StoreRef store = store_ref(*query);
      auto row = compute_row<Row>(reader, store, options, as_of, range, rollups);
      if (row) rows.push_back(std::move(*row));
      ++stores;
    }
    query->reset();
    return stores;
  };
  const auto end_snapshot = [&](const AddRows<Row>&) {
    queries.clear();
    for (auto& reader : readers) reader->end();  // the snapshot is not needed to merge
  };
  KeyChunks chunks(last_key);
  return compute_report_rows<Row>(readers.size(), chunks, folder_of(db_path), options.run_rows,
                                  compute_chunk, end_snapshot, sink, progress);
}

}  // namespace

ReportSummary stream_report(const std::string& db_path, const ReportOptions& options,
                            const ReportRowsSink& sink, ReportProgress* progress) {
  const unsigned threads = report_threads(options);
  auto readers = open_same_snapshot(db_path, threads);
  SQLite::Database& first = readers.front()->sql();

  ReportSummary summary;
  summary.rules = options.rules;
  summary.period = options.period;
  summary.as_of = resolve_as_of(readers.front()->db(), options.as_of);

  SQLite::Statement keys(first, sql::query("report_store_keys"));
  keys.executeStep();
  const std::int64_t last_key = keys.getColumn(0).getInt64();
  const auto store_count = static_cast<std::size_t>(keys.getColumn(1).getInt64());
  keys.reset();
  if (progress) progress->stores_total = store_count;
  // Dates read from rollups when they were made with the report's rules.
  RollupUse rollups;
  if (options.read_rollups && rollups_made_with(first, options.rules)) {
    if (!options.period) {
      rollups.week = true;
    } else {
      rollups.dates = std::get_if<DatePeriod>(&*options.period);
    }
  }
  summary.stores_reported = options.period
                                ? stream_rows<PeriodFigures>(db_path, readers, last_key, options,
                                                             summary.as_of, rollups, sink, progress)
                                : stream_rows<StoreFigures>(db_path, readers, last_key, options,
                                                            summary.as_of, rollups, sink, progress);
  summary.stores_without_data = store_count - summary.stores_reported;
  return summary;
}

Report build_report(const std::string& db_path, const ReportOptions& options,
                    ReportProgress* progress) {
  Report report;
  if (options.period) {
    report.rows = std::vector<PeriodFigures>{};
  }
  const ReportSummary summary = stream_report(
      db_path, options,
      [&report](ReportRows&& chunk) {
        std::visit(
            [&chunk](auto& rows) {
              using Rows = std::decay_t<decltype(rows)>;
              for (auto& row : std::get<Rows>(chunk)) rows.push_back(std::move(row));
            },
            report.rows);
      },
      progress);
  report.as_of = summary.as_of;
  report.rules = summary.rules;
  report.period = summary.period;
  report.stores_without_data = summary.stores_without_data;
  return report;
}
