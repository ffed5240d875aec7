#include "storage/report_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>

#include "storage/embedded_sql.hpp"
#include "storage/read_transaction.hpp"
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

// Copies `csv` into the report's csv column, made zeroblob(size) before:
// a piece at a time through SQLite's incremental blob I/O, so the CSV is
// never whole in memory.
void write_blob(SQLite::Database& db, const std::string& id, const TempFile& csv) {
  SQLite::Statement find(db, sql::query("report_rowid"));
  find.bind(1, id);
  if (!find.executeStep()) throw std::runtime_error("report " + id + " is gone");
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db.getHandle(), "main", "reports", "csv", find.getColumn(0).getInt64(), 1,
                        &blob) != SQLITE_OK) {
    sqlite3_blob_close(blob);
    throw std::runtime_error(std::string("cannot write the report's CSV: ") +
                             sqlite3_errmsg(db.getHandle()));
  }
  constexpr std::size_t kPiece = 1 << 20;
  std::string piece;
  int result = SQLITE_OK;
  for (std::uint64_t offset = 0; offset < csv.size() && result == SQLITE_OK; offset += kPiece) {
    piece.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, csv.size() - offset)));
    csv.read(offset, piece.data(), piece.size());
    result = sqlite3_blob_write(blob, piece.data(), static_cast<int>(piece.size()),
                                static_cast<int>(offset));
  }
  sqlite3_blob_close(blob);
  if (result != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot write the report's CSV: ") +
                             sqlite3_errstr(result));
  }
}

}  // namespace

SqliteReports::SqliteReports(const std::string& db_path)
    : db_(db_path), reader_(db_path, Database::Access::read_only) {
  // Writing a report's rows touches many pages: not mapped, and through a
  // small cache (rows are appended in key order), so they do not stay in the
  // server's memory after it.
  db_.set_map_bytes(0);
  db_.set_cache_bytes(std::int64_t{8} << 20);
}

void SqliteReports::insert(const std::string& id, const ReportOptions& options, Instant created) {
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

void SqliteReports::start(const std::string& id, Instant started) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement start(db_.sql(), sql::query("start_report"));
  start.bind(1, id);
  start.bind(2, to_micros(started));
  start.exec();
}

void SqliteReports::append_rows(const std::string& id, const ReportRows& rows) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Transaction transaction(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  write_report_rows(db_.sql(), id, rows);
  transaction.commit();
}

void SqliteReports::complete(const std::string& id, Instant finished, const ReportSummary& summary,
                             const TempFile& csv) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Transaction transaction(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement complete(db_.sql(), sql::query("complete_report"));
  complete.bind(1, id);
  complete.bind(2, to_micros(finished));
  complete.bind(3, to_micros(summary.as_of));
  complete.bind(4, static_cast<std::int64_t>(summary.stores_reported));
  complete.bind(5, static_cast<std::int64_t>(summary.stores_without_data));
  complete.bind(6, static_cast<std::int64_t>(csv.size()));
  complete.exec();
  write_blob(db_.sql(), id, csv);
  transaction.commit();
}

void SqliteReports::fail(const std::string& id, Instant finished, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Transaction transaction(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement fail(db_.sql(), sql::query("fail_report"));
  fail.bind(1, id);
  fail.bind(2, to_micros(finished));
  fail.bind(3, error);
  fail.exec();
  for (const char* name : {"delete_report_window_rows", "delete_report_period_rows"}) {
    SQLite::Statement remove(db_.sql(), sql::query(name));
    remove.bind(1, id);
    remove.exec();
  }
  transaction.commit();
}

void SqliteReports::fail_unfinished(Instant now, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Transaction transaction(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  db_.sql().exec(sql::query("delete_unfinished_report_rows"));
  SQLite::Statement fail(db_.sql(), sql::query("fail_unfinished_reports"));
  fail.bind(1, to_micros(now));
  fail.bind(2, error);
  fail.exec();
  transaction.commit();
}

ReportRows SqliteReports::rows(const std::string& id, bool period) {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_report_rows(db_.sql(), id, period);
}

void SqliteReports::rows_in_chunks(const std::string& id, bool period, std::size_t chunk_rows,
                                   const std::function<void(ReportRows&&)>& each) {
  // Through a small cache and not mapped, so the rows stay neither in
  // memory nor in the page cache.
  Database reader(db_.path(), Database::Access::read_only);
  reader.set_map_bytes(0);
  reader.set_cache_bytes(std::int64_t{2} << 20);
  ReadTransaction snapshot(reader.sql());
  read_report_rows(reader.sql(), id, period, chunk_rows, each);
}

ReportRowsPage SqliteReports::rows_page(const std::string& id, bool period,
                                        const ReportRowsQuery& query) {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  ReadTransaction snapshot(reader_.sql());  // the count and the page alike
  return read_report_rows_page(reader_.sql(), id, period, query);
}

std::optional<ReportState> SqliteReports::find(const std::string& id, ReportPart part) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("find_report"));
  query.bind(1, id);
  query.bind(2, part == ReportPart::csv ? 1 : 0);
  if (!query.executeStep()) return std::nullopt;
  ReportState state = read_state(query);
  if (part == ReportPart::rows && state.status == ReportStatus::complete) {
    ReportRows rows = read_report_rows(db_.sql(), id, state.period.has_value());
    if (rows_belong_to(state, rows)) state.rows = std::move(rows);
  }
  return state;
}

std::vector<ReportState> SqliteReports::list(std::size_t limit, std::optional<Instant> before) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("list_reports"));
  query.bind(1, static_cast<std::int64_t>(limit));
  bind_optional(query, 2, before);
  std::vector<ReportState> states;
  while (query.executeStep()) states.push_back(read_state(query));
  return states;
}

std::optional<std::string> SqliteReports::newest_standard() {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("newest_standard_report"));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}
