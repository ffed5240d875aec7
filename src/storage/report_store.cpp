#include "report_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <stdexcept>

#include "embedded_sql.hpp"

namespace {

void bind_optional(SQLite::Statement& statement, int index, std::optional<Instant> instant) {
  if (instant) {
    statement.bind(index, to_micros(*instant));
  } else {
    statement.bind(index);
  }
}

std::optional<Instant> optional_instant(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return from_micros(column.getInt64());
}

std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

// Columns as find_report and list_reports select them.
ReportState read_state(SQLite::Statement& row) {
  ReportState state;
  state.id = row.getColumn(0).getString();
  const std::string status = row.getColumn(1).getString();
  const auto parsed = parse_report_status(status);
  if (!parsed) throw std::runtime_error("report " + state.id + " has an unknown status " + status);
  state.status = *parsed;
  state.requested_as_of = optional_instant(row.getColumn(2));
  state.interpolation =
      parse_interpolation(row.getColumn(3).getString()).value_or(Interpolation::nearest);
  state.created = from_micros(row.getColumn(4).getInt64());
  state.started = optional_instant(row.getColumn(5));
  state.finished = optional_instant(row.getColumn(6));
  state.as_of = optional_instant(row.getColumn(7));
  state.stores_reported = optional_int(row.getColumn(8));
  state.stores_without_data = optional_int(row.getColumn(9));
  state.error = row.getColumn(10).isNull() ? "" : row.getColumn(10).getString();
  if (!row.getColumn(11).isNull()) {
    const SQLite::Column csv = row.getColumn(11);
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

ReportStore::ReportStore(const std::string& db_path) : db_(db_path) {}

void ReportStore::insert(const std::string& id, const ReportOptions& options, Instant created) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement insert(db_.sql(), sql::query("insert_report"));
  insert.bind(1, id);
  bind_optional(insert, 2, options.as_of);
  insert.bind(3, interpolation_name(options.interpolation));
  insert.bind(4, to_micros(created));
  insert.exec();
}

void ReportStore::start(const std::string& id, Instant started) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement start(db_.sql(), sql::query("start_report"));
  start.bind(1, id);
  start.bind(2, to_micros(started));
  start.exec();
}

void ReportStore::complete(const std::string& id, Instant finished, Instant as_of,
                           std::int64_t stores_reported, std::int64_t stores_without_data,
                           const std::string& csv) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement complete(db_.sql(), sql::query("complete_report"));
  complete.bind(1, id);
  complete.bind(2, to_micros(finished));
  complete.bind(3, to_micros(as_of));
  complete.bind(4, stores_reported);
  complete.bind(5, stores_without_data);
  complete.bindNoCopy(6, csv.data(), static_cast<int>(csv.size()));
  complete.exec();
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

std::optional<ReportState> ReportStore::find(const std::string& id, bool with_csv) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("find_report"));
  query.bind(1, id);
  query.bind(2, with_csv ? 1 : 0);
  if (!query.executeStep()) return std::nullopt;
  return read_state(query);
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
