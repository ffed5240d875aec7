#include "storage/postgresql/pg_report.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>
#include <unordered_map>

#include "common/test_hold.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_report_parts.hpp"
#include "storage/postgresql/pg_schedule.hpp"
#include "storage/postgresql/pg_schema.hpp"
#include "storage/report_range.hpp"
#include "storage/report_workers.hpp"

namespace {

// The stores with keys in [begin, end) and what a report over `range` reads
// of each, in key order, in the caller's transaction.
std::vector<StoreInput> read_store_inputs(PgConnection& db, std::int64_t begin, std::int64_t end,
                                          const ReadRange& range) {
  const std::string from = std::to_string(begin), to = std::to_string(end);
  const PgResult stores = db.exec(sql::pg_query("report_stores"), PgParams{from, to});
  std::vector<StoreInput> inputs(static_cast<std::size_t>(stores.rows()));
  std::unordered_map<std::int64_t, StoreInput*> by_key;
  for (int row = 0; row < stores.rows(); ++row) {
    StoreInput& input = inputs[static_cast<std::size_t>(row)];
    input.store_id = stores.text(row, 1);
    input.zone = store_zone(input.store_id, stores.is_null(row, 2) ? "" : stores.text(row, 2));
    by_key[stores.int64(row, 0)] = &input;
  }
  const auto input_of = [&by_key](std::int64_t key) -> StoreInput& { return *by_key.at(key); };
  add_hours_rows(db.exec(sql::pg_query("chunk_hours"), PgParams{from, to}), input_of);
  const LocalDayRange days = special_days(range);
  add_special_rows(
      db.exec(sql::pg_query("chunk_special_hours"),
              PgParams{from, to, std::to_string(days.first), std::to_string(days.last)}),
      input_of);
  const PgResult polls =
      db.exec(sql::pg_query("chunk_polls"),
              PgParams{from, to, std::to_string(range.begin_us), std::to_string(range.end_us),
                       std::to_string(range.now_us)},
              true);
  std::vector<std::int64_t> times;
  std::vector<bool> statuses;
  for (int row = 0; row < polls.rows(); ++row) {
    times.clear();
    statuses.clear();
    polls.array(row, 1, times, pg_integer);
    polls.array(row, 2, statuses, [](const unsigned char* bytes, int) { return bytes[0] != 0; });
    if (times.size() != statuses.size()) throw std::runtime_error("PostgreSQL sent uneven polls");
    std::vector<Poll>& store_polls = by_key.at(polls.int64(row, 0))->polls;
    for (std::size_t i = 0; i < times.size(); ++i) {
      store_polls.push_back({from_micros(times[i]), statuses[i]});
    }
    // In time order as the query builds them, checked: PostgreSQL does not promise it.
    const auto earlier = [](const Poll& a, const Poll& b) { return a.at < b.at; };
    if (!std::is_sorted(store_polls.begin(), store_polls.end(), earlier)) {
      std::sort(store_polls.begin(), store_polls.end(), earlier);
    }
  }
  return inputs;
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

template <class Row>
std::size_t PgSnapshotReader::compute(std::int64_t begin, std::int64_t end,
                                      const ReportOptions& options, Instant as_of,
                                      std::vector<Row>& rows) {
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
                                                    std::optional<DatePeriod> dates) {
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
  std::vector<StoreInput> inputs = read_store_inputs(db, key, key + 1, range);
  snapshot.input = std::move(inputs.at(0));
  snapshot_transaction.commit();
  return snapshot;
}
