#include "storage/postgresql/pg_report_parts.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>

#include "common/clock.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_report.hpp"
#include "storage/postgresql/pg_schema.hpp"
#include "storage/report_row_codec.hpp"

namespace {

// How long a worker waits before looking again when every part left is
// being computed elsewhere.
constexpr std::chrono::milliseconds kWaitForOthers{20};

// What a run's rows are (report_runs' columns): the rules, and the period
// as its kind and its bounds (UTC microseconds, or days since 1970-01-01).
struct RunColumns {
  std::string kind = "windows";
  std::optional<std::string> from, to;
};

RunColumns run_columns(const ReportOptions& options) {
  RunColumns columns;
  if (!options.period) return columns;
  if (const auto* utc = std::get_if<UtcPeriod>(&*options.period)) {
    columns.kind = "utc";
    columns.from = std::to_string(to_micros(utc->from));
    columns.to = std::to_string(to_micros(utc->to));
  } else {
    const auto& dates = std::get<DatePeriod>(*options.period);
    columns.kind = "dates";
    columns.from = std::to_string(dates.from.time_since_epoch().count());
    columns.to = std::to_string(dates.to.time_since_epoch().count());
  }
  return columns;
}

// The options of a run from report_run_to_help's row (its third column on).
ReportOptions run_options(const PgResult& run) {
  ReportOptions options;
  options.rules.interpolation =
      parse_interpolation(run.text(0, 3)).value_or(Interpolation::nearest);
  if (!run.is_null(0, 4)) options.rules.max_gap = std::chrono::seconds{run.int64(0, 4)};
  const std::string kind = run.text(0, 5);
  if (kind == "utc") {
    options.period = UtcPeriod{from_micros(run.int64(0, 6)), from_micros(run.int64(0, 7))};
  } else if (kind == "dates") {
    options.period = DatePeriod{date::local_days{date::days{run.int64(0, 6)}},
                                date::local_days{date::days{run.int64(0, 7)}}};
  }
  options.read_rollups = run.text(0, 8) == std::string("t");
  return options;
}

// The rows of one part as `options` asks, encoded; `stores` set to those read.
std::string part_rows(PgSnapshotReader& reader, std::int64_t begin, std::int64_t end,
                      const ReportOptions& options, Instant as_of, std::size_t& stores) {
  std::string bytes;
  const auto encode = [&](auto& rows) {
    stores = reader.compute(begin, end, options, as_of, rows);
    for (const auto& row : rows) append_row_record(bytes, row);
  };
  if (options.period) {
    std::vector<PeriodFigures> rows;
    encode(rows);
  } else {
    std::vector<StoreFigures> rows;
    encode(rows);
  }
  return bytes;
}

}  // namespace

PgReportRun::PgReportRun(const std::string& url, const std::string& snapshot,
                         const ReportOptions& options, Instant as_of, std::int64_t last_key,
                         std::size_t workers, ReportProgress* progress)
    : db_(std::make_unique<PgConnection>(url)), progress_(progress) {
  const RunColumns columns = run_columns(options);
  PgTransaction publish(*db_);
  run_ = db_->exec(sql::pg_query("publish_report_run"),
                   PgParams{pg_process_tag(), snapshot, std::to_string(to_micros(as_of)),
                            std::string(interpolation_name(options.rules.interpolation)),
                            options.rules.max_gap ? std::optional<std::string>(std::to_string(
                                                        options.rules.max_gap->count()))
                                                  : std::nullopt,
                            columns.kind, columns.from, columns.to,
                            std::to_string(to_micros(wall_clock_now())),
                            std::string(options.read_rollups ? "true" : "false")})
             .text(0, 0);
  db_->exec(sql::pg_query("publish_report_parts"),
            PgParams{run_, std::to_string(last_key),
                     std::to_string(std::max<std::int64_t>(1, options.part_keys))});
  publish.commit();
  takers_.resize(workers);
  url_ = url;
}

PgReportRun::~PgReportRun() {
  // The takers' connections first: one a failed worker left holds its part.
  takers_.clear();
  try {
    db_->exec(sql::pg_query("delete_report_run"), PgParams{run_});
  } catch (const std::exception&) {
    // Left behind: a helper finds its snapshot gone and deletes it.
  }
}

std::optional<KeyRange> PgReportRun::take(std::size_t worker) {
  Taker& taker = takers_[worker];
  // Connected by its worker: the workers connect at once.
  if (!taker.db) taker.db = std::make_unique<PgConnection>(url_);
  for (;;) {
    if (failed_) return std::nullopt;
    if (progress_ && progress_->cancel) return std::nullopt;
    taker.db->exec("BEGIN");
    const PgResult part = taker.db->exec(sql::pg_query("take_report_part"), PgParams{run_});
    if (part.rows() > 0) {
      taker.part = part.int64(0, 0);
      return KeyRange{part.int64(0, 0), part.int64(0, 1)};
    }
    taker.db->exec("COMMIT");
    if (taker.db->exec(sql::pg_query("report_parts_left"), PgParams{run_}).int64(0, 0) == 0) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(kWaitForOthers);
  }
}

void PgReportRun::done(std::size_t worker, std::size_t stores) {
  Taker& taker = takers_[worker];
  taker.db->exec(sql::pg_query("finish_report_part"),
                 PgParams{run_, std::to_string(*taker.part), std::to_string(stores), std::nullopt});
  taker.db->exec("COMMIT");
  taker.part.reset();
}

void PgReportRun::failed(std::size_t worker) {
  failed_ = true;
  try {
    if (takers_[worker].db) takers_[worker].db->exec("ROLLBACK");  // its part goes back
  } catch (const std::exception&) {
    // The connection is gone, and the part with it.
  }
}

template <class Row>
std::size_t PgReportRun::add_helped_rows(const AddRows<Row>& add_rows) {
  const PgResult parts = db_->exec(sql::pg_query("helped_report_rows"), PgParams{run_}, true);
  std::size_t stores = 0;
  std::vector<Row> rows;
  for (int part = 0; part < parts.rows(); ++part) {
    const std::string bytes = parts.raw(part, 0);
    rows.clear();
    if (read_row_records(bytes.data(), bytes.size(), rows) != bytes.size()) {
      throw std::runtime_error("a report part from another server holds a cut record");
    }
    add_rows(rows);
    stores += static_cast<std::size_t>(parts.int64(part, 1));
  }
  return stores;
}

template std::size_t PgReportRun::add_helped_rows(const AddRows<StoreFigures>&);
template std::size_t PgReportRun::add_helped_rows(const AddRows<PeriodFigures>&);

PgReportHelper::PgReportHelper(std::string url, unsigned threads, std::string origin)
    : url_(std::move(url)), threads_(std::max(1u, threads)), origin_(std::move(origin)), db_(url_) {
  migrate_postgresql(db_);
}

std::size_t PgReportHelper::step(std::size_t max_parts) {
  const PgResult run = db_.exec(sql::pg_query("report_run_to_help"), PgParams{origin_});
  if (run.rows() == 0) return 0;
  const std::string id = run.text(0, 0);
  const std::string snapshot = run.text(0, 1);
  // Its snapshot ends with the transaction that exported it: once it cannot
  // be joined, the report is over (its process died: nobody will take its
  // parts back), and the run goes.
  {
    PgConnection probe(url_);
    probe.exec(sql::pg_query("begin_snapshot"));
    try {
      probe.exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
    } catch (const std::exception&) {
      db_.exec(sql::pg_query("delete_report_run"), PgParams{id});
      return 0;
    }
  }
  const ReportOptions options = run_options(run);
  const Instant as_of = from_micros(run.int64(0, 2));
  std::atomic<std::size_t> taken{0};
  std::atomic<std::size_t> stores{0};
  std::vector<std::exception_ptr> errors(threads_);
  const auto work = [&](unsigned worker) {
    try {
      PgSnapshotReader reader(url_, snapshot);
      PgConnection taker(url_);
      while (max_parts == 0 || taken.fetch_add(1) < max_parts) {
        taker.exec("BEGIN");
        const PgResult part = taker.exec(sql::pg_query("take_report_part"), PgParams{id});
        if (part.rows() == 0) {
          taker.exec("COMMIT");
          break;
        }
        std::size_t read = 0;
        std::string rows = "\\x";
        append_hex(rows,
                   part_rows(reader, part.int64(0, 0), part.int64(0, 1), options, as_of, read));
        taker.exec(sql::pg_query("finish_report_part"),
                   PgParams{id, std::to_string(part.int64(0, 0)), std::to_string(read), rows});
        taker.exec("COMMIT");
        stores += read;
      }
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned worker = 1; worker < threads_; ++worker) pool.emplace_back(work, worker);
  work(0);
  for (auto& thread : pool) thread.join();
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return stores;
}
