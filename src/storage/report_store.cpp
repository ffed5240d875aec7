#include "storage/report_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>

#include "storage/embedded_sql.hpp"
#include "storage/report_rows.hpp"
#include "storage/sql_values.hpp"

namespace {

// A row of find_report or list_reports, by column name.
ReportState read_state(SQLite::Statement& row) {
  ReportState state;
  state.id = row.getColumn("id").getString();
  const std::string status = row.getColumn("status").getString();
  const auto parsed = parse_report_status(status);
  if (!parsed) throw std::runtime_error("report " + state.id + " has an unknown status " + status);
  state.status = *parsed;
  state.requested_as_of = optional_instant(row.getColumn("requested_as_of_us"));
  state.rules.interpolation = parse_interpolation(row.getColumn("interpolation").getString())
                                  .value_or(Interpolation::nearest);
  state.created = from_micros(row.getColumn("created_us").getInt64());
  state.started = optional_instant(row.getColumn("started_us"));
  state.finished = optional_instant(row.getColumn("finished_us"));
  state.as_of = optional_instant(row.getColumn("as_of_us"));
  state.stores_reported = optional_int(row.getColumn("stores_reported"));
  state.stores_without_data = optional_int(row.getColumn("stores_without_data"));
  state.error = row.getColumn("error").isNull() ? "" : row.getColumn("error").getString();
  if (!row.getColumn("max_gap_s").isNull()) {
    state.rules.max_gap = std::chrono::seconds{row.getColumn("max_gap_s").getInt64()};
  }
  if (!row.getColumn("period_from_us").isNull()) {
    state.period = UtcPeriod{from_micros(row.getColumn("period_from_us").getInt64()),
                             from_micros(row.getColumn("period_to_us").getInt64())};
  } else if (!row.getColumn("period_from_day").isNull()) {
    state.period =
        DatePeriod{date::local_days{date::days{row.getColumn("period_from_day").getInt64()}},
                   date::local_days{date::days{row.getColumn("period_to_day").getInt64()}}};
  }
  state.standard = row.getColumn("standard").getInt() != 0;
  if (!row.getColumn("csv").isNull()) {
    const SQLite::Column csv = row.getColumn("csv");
    state.csv = std::string(static_cast<const char*>(csv.getBlob()),
                            static_cast<std::size_t>(csv.getBytes()));
  }
  return state;
}

}  // namespace

const char* report_status_name(ReportStatus status) {
  switch (status) {
    case ReportStatus::queued:
      return "Queued";
    case ReportStatus::running:
      return "Running";
    case ReportStatus::complete:
      return "Complete";
    case ReportStatus::failed:
      return "Failed";
  }
  return "?";
}

std::optional<ReportStatus> parse_report_status(std::string_view name) {
  for (ReportStatus status : {ReportStatus::queued, ReportStatus::running, ReportStatus::complete,
                              ReportStatus::failed}) {
    if (name == report_status_name(status)) return status;
  }
  return std::nullopt;
}

ReportStore::ReportStore(const std::string& db_path) : db_(db_path) {
  // Writing a report's rows touches many pages: not mapped, and through a
  // small cache (rows are appended in key order), so they do not stay in the
  // server's memory after it.
  db_.set_map_bytes(0);
  db_.set_cache_bytes(std::int64_t{8} << 20);
}

void ReportStore::insert(const std::string& id, const ReportOptions& options, Instant created) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement insert(db_.sql(), sql::query("insert_report"));
  insert.bind(1, id);
  bind_optional(insert, 2, options.as_of);
  insert.bind(3, interpolation_name(options.rules.interpolation));
  insert.bind(4, to_micros(created));
  if (options.rules.max_gap) {
    insert.bind(5, static_cast<std::int64_t>(options.rules.max_gap->count()));
  } else {
    insert.bind(5);
  }
  for (int column = 6; column <= 9; ++column) insert.bind(column);  // NULL: no period
  insert.bind(10, options.standard ? 1 : 0);
  if (options.period) {
    if (const auto* utc = std::get_if<UtcPeriod>(&*options.period)) {
      insert.bind(6, to_micros(utc->from));
      insert.bind(7, to_micros(utc->to));
    } else {
      const auto& dates = std::get<DatePeriod>(*options.period);
      insert.bind(8, static_cast<std::int64_t>(dates.from.time_since_epoch().count()));
      insert.bind(9, static_cast<std::int64_t>(dates.to.time_since_epoch().count()));
    }
  }
  insert.exec();
}

void ReportStore::start(const std::string& id, Instant started) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement start(db_.sql(), sql::query("start_report"));
  start.bind(1, id);
  start.bind(2, to_micros(started));
  start.exec();
}

void ReportStore::complete(const std::string& id, Instant finished, const Report& report,
                           const std::string& csv) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Transaction transaction(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement complete(db_.sql(), sql::query("complete_report"));
  complete.bind(1, id);
  complete.bind(2, to_micros(finished));
  complete.bind(3, to_micros(report.as_of));
  complete.bind(4, static_cast<std::int64_t>(report.stores_reported()));
  complete.bind(5, static_cast<std::int64_t>(report.stores_without_data));
  complete.bindNoCopy(6, csv.data(), static_cast<int>(csv.size()));
  complete.exec();
  write_report_rows(db_.sql(), id, report.rows);
  transaction.commit();
}

void ReportStore::fail(const std::string& id, Instant finished, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement fail(db_.sql(), sql::query("fail_report"));
  fail.bind(1, id);
  fail.bind(2, to_micros(finished));
  fail.bind(3, error);
  fail.exec();
}

void ReportStore::fail_unfinished(Instant now, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement fail(db_.sql(), sql::query("fail_unfinished_reports"));
  fail.bind(1, to_micros(now));
  fail.bind(2, error);
  fail.exec();
}

std::optional<ReportState> ReportStore::find(const std::string& id, ReportPart part) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("find_report"));
  query.bind(1, id);
  query.bind(2, part == ReportPart::csv ? 1 : 0);
  if (!query.executeStep()) return std::nullopt;
  ReportState state = read_state(query);
  // Reports finished before rows were kept (sql/013_report_rows.sql) have
  // none though they reported stores: their rows stay unset.
  if (part == ReportPart::rows && state.status == ReportStatus::complete) {
    ReportRows rows = read_report_rows(db_.sql(), id, state.period.has_value());
    if (row_count(rows) > 0 || state.stores_reported.value_or(0) == 0) state.rows = std::move(rows);
  }
  return state;
}

std::vector<ReportState> ReportStore::list(std::size_t limit, std::optional<Instant> before) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("list_reports"));
  query.bind(1, static_cast<std::int64_t>(limit));
  bind_optional(query, 2, before);
  std::vector<ReportState> states;
  while (query.executeStep()) states.push_back(read_state(query));
  return states;
}

std::optional<std::string> ReportStore::newest_standard() {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("newest_standard_report"));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}
