#include "storage/postgresql/pg_report.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "common/test_hold.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_polls.hpp"
#include "storage/postgresql/pg_report_parts.hpp"
#include "storage/postgresql/pg_rollups.hpp"
#include "storage/postgresql/pg_schedule.hpp"
#include "storage/postgresql/pg_schema.hpp"
#include "storage/report_range.hpp"
#include "storage/report_workers.hpp"

namespace {

// The stores with keys in [begin, end), in key order, with their schedules
// for `range` (the hours, the special dates that can matter) and no polls.
struct ChunkStores {
  std::vector<StoreInput> inputs;
  std::vector<std::int64_t> keys;
  std::vector<std::optional<std::int64_t>> first_poll_us;  // nullopt: no poll yet
  std::unordered_map<std::int64_t, StoreInput*> by_key;
};

ChunkStores read_chunk_schedules(PgConnection& db, std::int64_t begin, std::int64_t end,
                                 const ReadRange& range) {
  const std::string from = std::to_string(begin), to = std::to_string(end);
  const PgResult stores = db.exec(sql::pg_query("report_stores"), PgParams{from, to});
  ChunkStores chunk;
  chunk.inputs.resize(static_cast<std::size_t>(stores.rows()));
  for (int row = 0; row < stores.rows(); ++row) {
    StoreInput& input = chunk.inputs[static_cast<std::size_t>(row)];
    input.store_id = stores.text(row, 1);
    input.zone = store_zone(input.store_id, stores.is_null(row, 2) ? "" : stores.text(row, 2));
    chunk.keys.push_back(stores.int64(row, 0));
    chunk.first_poll_us.push_back(stores.int64_or_null(row, 3));
    chunk.by_key[chunk.keys.back()] = &input;
  }
  const auto input_of = [&chunk](std::int64_t key) -> StoreInput& { return *chunk.by_key.at(key); };
  add_hours_rows(db.exec(sql::pg_query("chunk_hours"), PgParams{from, to}), input_of);
  const LocalDayRange days = special_days(range);
  add_special_rows(
      db.exec(sql::pg_query("chunk_special_hours"),
              PgParams{from, to, std::to_string(days.first), std::to_string(days.last)}),
      input_of);
  return chunk;
}

// The stores with keys in [begin, end) and what a report over `range` reads
// of each, in key order, in the caller's transaction.
std::vector<StoreInput> read_store_inputs(PgConnection& db, std::int64_t begin, std::int64_t end,
                                          const ReadRange& range) {
  ChunkStores chunk = read_chunk_schedules(db, begin, end, range);
  const PgResult polls =
      db.exec(sql::pg_query("chunk_polls"),
              PgParams{std::to_string(begin), std::to_string(end), std::to_string(range.begin_us),
                       std::to_string(range.end_us), std::to_string(range.now_us)},
              true);
  for (int row = 0; row < polls.rows(); ++row) {
    append_poll_arrays(polls, row, 1, chunk.by_key.at(polls.int64(row, 0))->polls);
  }
  return std::move(chunk.inputs);
}

template <class Row>
std::size_t stream_pg_rows(std::vector<std::unique_ptr<PgSnapshotReader>>& readers,
                           PgReportRun& run, const ReportOptions& options, Instant as_of,
                           const ReportRowsSink& sink, ReportProgress* progress) {
  const auto compute_chunk = [&](std::size_t worker, std::int64_t begin, std::int64_t end,
                                 std::vector<Row>& rows) {
    return readers[worker]->compute(begin, end, options, as_of, rows);
  };
  // Every part is done: the rows other servers computed join the report's,
  // and the snapshot is not needed to merge.
  const auto after_workers = [&](const AddRows<Row>& add_rows) {
    const std::size_t helped = run.add_helped_rows<Row>(add_rows);
    if (progress) progress->stores_done += helped;
    readers.clear();
  };
  return compute_report_rows<Row>(readers.size(), run,
                                  std::filesystem::temp_directory_path().string(), options.run_rows,
                                  compute_chunk, after_workers, sink, progress);
}

// Store `key`'s rollups of `dates` that a report as of `now` may read, each
// date's figures (its totals less the date before's), by date; as
// RollupReader::read on SQLite.
std::vector<DayRollup> read_store_rollups(PgConnection& db, std::int64_t key,
                                          const DatePeriod& dates, Instant now) {
  const PgResult rows =
      db.exec(sql::pg_query("store_rollups"),
              PgParams{std::to_string(key), std::to_string(day_number(dates.from)),
                       std::to_string(day_number(dates.to)), std::to_string(to_micros(now))});
  std::vector<DayRollup> days;
  BusinessTimes before;
  for (int row = 0; row < rows.rows(); ++row) {
    const date::local_days day{date::days{rows.int64(row, 0)}};
    const BusinessTimes totals = pg_rollup_totals(rows, row, 2);
    if (day >= dates.from) days.push_back({day, from_micros(rows.int64(row, 1)), totals - before});
    before = totals;
  }
  return days;
}

}  // namespace

PgSnapshotReader::PgSnapshotReader(const std::string& url, const std::string& snapshot) : db_(url) {
  db_.exec(sql::pg_query("begin_snapshot"));
  // SET takes no parameters; the snapshot's name is PostgreSQL's own.
  if (!snapshot.empty()) db_.exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
}

PgSnapshotReader::~PgSnapshotReader() {
  try {
    db_.exec("COMMIT");
  } catch (const std::exception&) {
    // Read only: nothing to keep.
  }
}

bool PgSnapshotReader::reads_rollups(const ReportOptions& options) {
  if (!options.read_rollups) return false;
  if (!rollup_rules_) rollup_rules_ = pg_rollup_rules(db_);  // in the snapshot
  return *rollup_rules_ && same_rules(**rollup_rules_, options.rules);
}

std::size_t PgSnapshotReader::compute_from_rollups(std::int64_t begin, std::int64_t end,
                                                   const ReportOptions& options,
                                                   const DatePeriod& dates, Instant now,
                                                   std::vector<PeriodFigures>& rows) {
  ChunkStores chunk = read_chunk_schedules(db_, begin, end, report_range(options.period, now));
  // Each store's rolled-up dates, summed (docs/rollups.md).
  std::unordered_map<std::int64_t, RolledUpDates> sums;
  const PgResult summed = db_.exec(
      sql::pg_query("chunk_rollup_sums"),
      PgParams{std::to_string(begin), std::to_string(end), std::to_string(day_number(dates.from)),
               std::to_string(day_number(dates.to)), std::to_string(to_micros(now))});
  for (int row = 0; row < summed.rows(); ++row) {
    sums[summed.int64(row, 0)] =
        rolled_up_sum(dates.from, pg_kept_rollup(summed, row, 1), pg_kept_rollup(summed, row, 6));
  }
  // The other dates' polls, every store's at once.
  struct StoreRuns {
    std::size_t store;  // in the chunk
    std::optional<RolledUpDates> summed;
    std::vector<DatePeriod> runs;
  };
  std::vector<StoreRuns> stores;
  std::vector<StoreRange> ranges;
  for (std::size_t i = 0; i < chunk.inputs.size(); ++i) {
    const auto& first = chunk.first_poll_us[i];
    if (!first || from_micros(*first) > now) continue;  // no data: no row
    const auto sum = sums.find(chunk.keys[i]);
    StoreRuns store{i, sum == sums.end() ? std::nullopt : std::optional(sum->second), {}};
    const date::time_zone* zone = zone_of(chunk.inputs[i]);
    store.runs = runs_from_polls(dates, store.summed, zone, from_micros(*first), now);
    // The run's own instants in the store's zone (read_range(run, now) holds
    // them in any zone: five days of polls for one date).
    for (const DatePeriod& run : store.runs) {
      const Interval counted = store_period(run, zone, from_micros(*first), now);
      ranges.push_back(
          {chunk.keys[i], read_range(date::floor<std::chrono::microseconds>(counted.begin),
                                     date::ceil<std::chrono::microseconds>(counted.end), now)});
    }
    stores.push_back(std::move(store));
  }
  std::vector<std::vector<Poll>> polls = read_polls_in_ranges(db_, ranges);
  std::size_t range = 0;
  for (const StoreRuns& store : stores) {
    StoreInput& input = chunk.inputs[store.store];
    std::vector<std::optional<PeriodFigures>> figures;
    for (const DatePeriod& run : store.runs) {
      input.polls = std::move(polls[range++]);
      figures.push_back(compute_period_figures(input, now, options.rules, run));
    }
    rows.push_back(period_from_rollups(input.store_id, dates, zone_of(input),
                                       from_micros(*chunk.first_poll_us[store.store]), now,
                                       store.summed, figures));
  }
  return chunk.inputs.size();
}

template <class Row>
std::size_t PgSnapshotReader::compute(std::int64_t begin, std::int64_t end,
                                      const ReportOptions& options, Instant as_of,
                                      std::vector<Row>& rows) {
  if constexpr (std::is_same_v<Row, PeriodFigures>) {
    const auto* dates = std::get_if<DatePeriod>(&*options.period);
    if (dates && reads_rollups(options)) {
      return compute_from_rollups(begin, end, options, *dates, as_of, rows);
    }
  }
  const std::vector<StoreInput> inputs =
      read_store_inputs(db_, begin, end, report_range(options.period, as_of));
  for (const StoreInput& input : inputs) {
    if (auto row = compute_input_row<Row>(input, options, as_of)) rows.push_back(std::move(*row));
  }
  return inputs.size();
}

template std::size_t PgSnapshotReader::compute(std::int64_t, std::int64_t, const ReportOptions&,
                                               Instant, std::vector<StoreFigures>&);
template std::size_t PgSnapshotReader::compute(std::int64_t, std::int64_t, const ReportOptions&,
                                               Instant, std::vector<PeriodFigures>&);

ReportSummary pg_stream_report(const std::string& url, const ReportOptions& options,
                               const ReportRowsSink& sink, ReportProgress* progress) {
  const unsigned threads = report_threads(options);
  std::vector<std::unique_ptr<PgSnapshotReader>> readers;
  readers.push_back(std::make_unique<PgSnapshotReader>(url, ""));
  PgConnection& first = readers.front()->db();
  const std::string snapshot = first.exec(sql::pg_query("export_snapshot")).text(0, 0);
  for (unsigned i = 1; i < threads; ++i) {
    readers.push_back(std::make_unique<PgSnapshotReader>(url, snapshot));
  }

  ReportSummary summary;
  summary.rules = options.rules;
  summary.period = options.period;
  if (options.as_of) {
    summary.as_of = *options.as_of;
  } else {
    const PgResult latest = first.exec(sql::pg_query("latest_poll"));
    if (latest.is_null(0, 0)) {
      throw std::runtime_error("the database holds no polls: nothing to report");
    }
    summary.as_of = from_micros(latest.int64(0, 0));
  }
  const PgResult keys = first.exec(sql::pg_query("report_store_keys"));
  const std::int64_t last_key = keys.int64(0, 0);
  const auto store_count = static_cast<std::size_t>(keys.int64(0, 1));
  if (progress) progress->stores_total = store_count;
  // The stores in parts any server on the database may take (other
  // servers' helpers read this snapshot too).
  PgReportRun run(url, snapshot, options, summary.as_of, last_key, readers.size(), progress);
  if (const auto hold = test_hold("UPTIME_TEST_HOLD_REPORT_PARTS")) hold();
  summary.stores_reported =
      options.period
          ? stream_pg_rows<PeriodFigures>(readers, run, options, summary.as_of, sink, progress)
          : stream_pg_rows<StoreFigures>(readers, run, options, summary.as_of, sink, progress);
  summary.stores_without_data = store_count - summary.stores_reported;
  return summary;
}

std::optional<StoreSnapshot> pg_read_store_snapshot(PgConnection& db, const std::string& store_id,
                                                    std::optional<Instant> as_of,
                                                    std::optional<DatePeriod> dates,
                                                    const StatusRules* rules) {
  PgTransaction snapshot_transaction(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const PgResult store = db.exec(sql::pg_query("snapshot_store"), PgParams{store_id});
  if (store.rows() == 0) return std::nullopt;
  const std::int64_t key = store.int64(0, 0);
  StoreSnapshot snapshot;
  snapshot.zone_name = store.is_null(0, 1) ? "" : store.text(0, 1);
  snapshot.first_poll = pg_instant_or_null(store, 0, 2);
  snapshot.as_of = as_of;
  if (!as_of) snapshot.as_of = pg_instant_or_null(db.exec(sql::pg_query("latest_poll")), 0, 0);
  // With no as_of, an end before every poll selects the hours and no polls.
  const Instant now = snapshot.as_of.value_or(Instant::min());
  const ReadRange range = !snapshot.as_of ? ReadRange{0, 0, to_micros(now)}
                          : dates         ? report_range(Period{*dates}, now)
                                          : report_range(std::nullopt, now);
  const auto made_with = dates && snapshot.as_of && rules ? pg_rollup_rules(db) : std::nullopt;
  if (made_with && same_rules(*made_with, *rules)) {
    // The rolled-up dates from their rollups, the polls of the others only.
    snapshot.input = std::move(read_chunk_schedules(db, key, key + 1, range).inputs.at(0));
    snapshot.rolled_up = read_store_rollups(db, key, *dates, now);
    const auto others = dates_not_rolled_up(dates->from, dates->to, snapshot.rolled_up);
    if (!others.empty()) {
      const ReadRange polls_range =
          read_range(DatePeriod{others.front().from, others.back().to}, now);
      snapshot.input.polls = std::move(read_polls_in_ranges(db, {{key, polls_range}}).at(0));
    }
  } else {
    snapshot.input = std::move(read_store_inputs(db, key, key + 1, range).at(0));
  }
  snapshot_transaction.commit();
  return snapshot;
}
