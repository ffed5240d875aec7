#include "storage/postgresql/pg_reports.hpp"

#include <algorithm>
#include <stdexcept>

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

// A row of find_report or list_reports (binary), columns in their order.
ReportState read_report_state(const PgResult& rows, int row) {
  ReportState state;
  state.id = rows.text(row, 0);
  const std::string status = rows.text(row, 1);
  const auto parsed = parse_report_status(status);
  if (!parsed) throw std::runtime_error("report " + state.id + " has an unknown status " + status);
  state.status = *parsed;
  state.requested_as_of = pg_instant_or_null(rows, row, 2);
  state.rules.interpolation =
      parse_interpolation(rows.text(row, 3)).value_or(Interpolation::nearest);
  state.created = from_micros(rows.int64(row, 4));
  state.started = pg_instant_or_null(rows, row, 5);
  state.finished = pg_instant_or_null(rows, row, 6);
  state.as_of = pg_instant_or_null(rows, row, 7);
  state.stores_reported = rows.int64_or_null(row, 8);
  state.stores_without_data = rows.int64_or_null(row, 9);
  if (!rows.is_null(row, 10)) state.error = rows.text(row, 10);
  if (!rows.is_null(row, 11)) state.rules.max_gap = std::chrono::seconds{rows.int64(row, 11)};
  if (!rows.is_null(row, 12)) {
    state.period = UtcPeriod{from_micros(rows.int64(row, 12)), from_micros(rows.int64(row, 13))};
  } else if (!rows.is_null(row, 14)) {
    state.period = DatePeriod{date::local_days{date::days{rows.int64(row, 14)}},
                              date::local_days{date::days{rows.int64(row, 15)}}};
  }
  state.standard = rows.int64(row, 16) != 0;
  if (!rows.is_null(row, 17)) state.csv = rows.raw(row, 17);
  return state;
}

FineInstant pg_fine_instant(const PgResult& rows, int row, int column) {
  return FineInstant{HalfMicroseconds{rows.int64(row, column)}};
}
HalfMicroseconds pg_length(const PgResult& rows, int row, int column) {
  return HalfMicroseconds{rows.int64(row, column)};
}

// Rows of window_rows or window_rows_where: store_id, then the figures.
std::vector<StoreFigures> read_pg_window_rows(const PgResult& rows) {
  std::vector<StoreFigures> read(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    StoreFigures& figures = read[static_cast<std::size_t>(row)];
    figures.store_id = rows.text(row, 0);
    int column = 1;
    for (auto* lengths : {&figures.uptime, &figures.downtime, &figures.unknown}) {
      for (HalfMicroseconds& figure : *lengths) figure = pg_length(rows, row, column++);
    }
    const std::string state = rows.text(row, column++);
    const auto parsed = parse_store_state(state);
    if (!parsed) throw std::runtime_error("a report row has an unknown now_state '" + state + "'");
    figures.now.state = *parsed;
    figures.now.since = pg_fine_instant(rows, row, column++);
    figures.now.since_week_start = rows.int64(row, column++) != 0;
    if (!rows.is_null(row, column)) figures.now.opens = pg_fine_instant(rows, row, column);
  }
  return read;
}

// Rows of period_rows or period_rows_where.
std::vector<PeriodFigures> read_pg_period_rows(const PgResult& rows) {
  std::vector<PeriodFigures> read(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    PeriodFigures& figures = read[static_cast<std::size_t>(row)];
    figures.store_id = rows.text(row, 0);
    figures.period = {pg_fine_instant(rows, row, 1), pg_fine_instant(rows, row, 2)};
    figures.business = pg_length(rows, row, 3);
    figures.uptime = pg_length(rows, row, 4);
    figures.downtime = pg_length(rows, row, 5);
    figures.unknown = pg_length(rows, row, 6);
  }
  return read;
}

ReportRows read_pg_rows(const PgResult& rows, bool period) {
  if (period) return read_pg_period_rows(rows);
  return read_pg_window_rows(rows);
}

void append_copy_number(std::string& line, std::int64_t number) {
  line += '\t';
  line += std::to_string(number);
}

// A row in COPY's text format: the report, the store, then its figures.
void append_copy_row(std::string& out, const std::string& id, const StoreFigures& row) {
  append_copy_text(out, id);
  out += '\t';
  append_copy_text(out, row.store_id);
  for (const auto* lengths : {&row.uptime, &row.downtime, &row.unknown}) {
    for (HalfMicroseconds figure : *lengths) append_copy_number(out, figure.count());
  }
  out += '\t';
  out += store_state_name(row.now.state);
  append_copy_number(out, row.now.since.time_since_epoch().count());
  append_copy_number(out, row.now.since_week_start ? 1 : 0);
  out += row.now.opens ? '\t' + std::to_string(row.now.opens->time_since_epoch().count()) : "\t\\N";
  out += '\n';
}

void append_copy_row(std::string& out, const std::string& id, const PeriodFigures& row) {
  append_copy_text(out, id);
  out += '\t';
  append_copy_text(out, row.store_id);
  append_copy_number(out, row.period.begin.time_since_epoch().count());
  append_copy_number(out, row.period.end.time_since_epoch().count());
  for (HalfMicroseconds figure : {row.business, row.uptime, row.downtime, row.unknown}) {
    append_copy_number(out, figure.count());
  }
  out += '\n';
}

// The ORDER BY's expression for a sort name: the only text that reaches it.
// Text sorts byte-wise, as in SQLite; so do NULLs (a period without up or
// down time has no uptime_percent): first ascending, last descending.
std::string pg_sort_expression(bool period, const std::string& name) {
  const char* column = report_sort_column(period, name);
  if (!column) return "r.uptime::float8 / nullif(r.uptime + r.downtime, 0)";
  const std::string text_columns[] = {"r.store_id", "r.now_state"};
  for (const std::string& text : text_columns) {
    if (column == text) return text + " COLLATE \"C\"";
  }
  return column;
}

// Bytes handed to COPY at a time: rows as they are made, the CSV as it is read.
constexpr std::size_t kPieceBytes = 1 << 20;

}  // namespace

PgReports::PgReports(const std::string& url) : url_(url), db_(url) {
  migrate_postgresql(db_);
}

void PgReports::insert(const std::string& id, const ReportOptions& options, Instant created) {
  PgParams params = {id,
                     pg_micros_or_null(options.as_of),
                     std::string(interpolation_name(options.rules.interpolation)),
                     std::to_string(to_micros(created)),
                     options.rules.max_gap ? std::optional<std::string>(
                                                 std::to_string(options.rules.max_gap->count()))
                                           : std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     options.standard ? "1" : "0"};
  if (options.period) {
    if (const auto* utc = std::get_if<UtcPeriod>(&*options.period)) {
      params[5] = std::to_string(to_micros(utc->from));
      params[6] = std::to_string(to_micros(utc->to));
    } else {
      const auto& dates = std::get<DatePeriod>(*options.period);
      params[7] = std::to_string(dates.from.time_since_epoch().count());
      params[8] = std::to_string(dates.to.time_since_epoch().count());
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  db_.exec(sql::pg_query("insert_report"), params);
}

void PgReports::start(const std::string& id, Instant started) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_.exec(sql::pg_query("start_report"), {id, std::to_string(to_micros(started))});
}

void PgReports::append_rows(const std::string& id, const ReportRows& rows) {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool period = std::holds_alternative<std::vector<PeriodFigures>>(rows);
  db_.copy_begin(sql::pg_query(period ? "copy_period_rows" : "copy_window_rows"));
  std::string lines;
  std::visit(
      [&](const auto& list) {
        for (const auto& row : list) {
          append_copy_row(lines, id, row);
          if (lines.size() >= kPieceBytes) {
            db_.copy_put(lines);
            lines.clear();
          }
        }
      },
      rows);
  db_.copy_put(lines);
  db_.copy_end();
}

void PgReports::complete(const std::string& id, Instant finished, const ReportSummary& summary,
                         const TempFile& csv) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  db_.exec(sql::pg_query("create_incoming_csv"));
  // One bytea value in COPY's text format: "\\x" (the backslash escaped for
  // COPY), then the bytes in hex, a piece at a time: never whole in memory.
  db_.copy_begin(sql::pg_query("copy_incoming_csv"));
  db_.copy_put("\\\\x");
  std::string piece;
  std::string hex;
  for (std::uint64_t offset = 0; offset < csv.size(); offset += kPieceBytes) {
    piece.resize(
        static_cast<std::size_t>(std::min<std::uint64_t>(kPieceBytes, csv.size() - offset)));
    csv.read(offset, piece.data(), piece.size());
    hex.clear();
    append_hex(hex, piece);
    db_.copy_put(hex);
  }
  db_.copy_put("\n");
  db_.copy_end();
  db_.exec(sql::pg_query("complete_report"),
           {id, std::to_string(to_micros(finished)), std::to_string(to_micros(summary.as_of)),
            std::to_string(summary.stores_reported), std::to_string(summary.stores_without_data)});
  transaction.commit();
}

void PgReports::fail(const std::string& id, Instant finished, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  db_.exec(sql::pg_query("fail_report"), {id, std::to_string(to_micros(finished)), error});
  db_.exec(sql::pg_query("delete_window_rows_of"), {id});
  db_.exec(sql::pg_query("delete_period_rows_of"), {id});
  transaction.commit();
}

void PgReports::fail_unfinished(Instant now, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  db_.exec(sql::pg_query("delete_unfinished_report_rows"));
  db_.exec(sql::pg_query("fail_unfinished_reports"), {std::to_string(to_micros(now)), error});
  transaction.commit();
}

ReportRows PgReports::rows(const std::string& id, bool period) {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_pg_rows(db_.exec(sql::pg_query(period ? "period_rows" : "window_rows"), {id}),
                      period);
}

void PgReports::rows_in_chunks(const std::string& id, bool period, std::size_t chunk_rows,
                               const std::function<void(ReportRows&&)>& each) {
  // A connection of its own, so other calls do not wait for the whole read;
  // one snapshot, read through a cursor.
  PgConnection reader(url_);
  PgTransaction snapshot(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  std::string declare = "DECLARE report_rows NO SCROLL CURSOR FOR ";
  declare += sql::pg_query(period ? "period_rows" : "window_rows");
  while (!declare.empty() && (declare.back() == ';' || declare.back() == '\n')) declare.pop_back();
  reader.exec(declare, {id});
  const std::string fetch = "FETCH " + std::to_string(chunk_rows) + " FROM report_rows";
  for (;;) {
    const PgResult chunk = reader.exec(fetch);
    if (chunk.rows() > 0) each(read_pg_rows(chunk, period));
    if (static_cast<std::size_t>(chunk.rows()) < chunk_rows) break;
  }
  snapshot.commit();
}

ReportRowsPage PgReports::rows_page(const std::string& id, bool period,
                                    const ReportRowsQuery& query) {
  const std::string order = pg_sort_expression(period, query.sort);
  const PgParams filters = {
      id, pg_text_or_null(query.contains),
      query.only ? std::optional<std::string>(query.only_json) : std::nullopt};
  const std::string direction = query.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST";
  const std::string page_sql =
      std::string(sql::pg_query(period ? "period_rows_where" : "window_rows_where")) +
      " ORDER BY " + order + direction + ", r.store_id COLLATE \"C\"" +
      (query.descending ? " DESC" : " ASC") + " LIMIT " + std::to_string(query.limit) + " OFFSET " +
      std::to_string(query.offset);
  std::lock_guard<std::mutex> lock(mutex_);
  // The count and the page from one snapshot.
  PgTransaction snapshot(db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  ReportRowsPage page;
  page.total = db_.exec(sql::pg_query(period ? "period_rows_count" : "window_rows_count"), filters)
                   .int64(0, 0);
  page.rows = read_pg_rows(db_.exec(page_sql, filters), period);
  snapshot.commit();
  return page;
}

std::optional<ReportState> PgReports::find(const std::string& id, ReportPart part) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction snapshot(db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const PgResult found = db_.exec(sql::pg_query("find_report"),
                                  {id, part == ReportPart::csv ? "true" : "false"}, true);
  if (found.rows() == 0) return std::nullopt;
  ReportState state = read_report_state(found, 0);
  if (part == ReportPart::rows && state.status == ReportStatus::complete) {
    const bool period = state.period.has_value();
    ReportRows rows =
        read_pg_rows(db_.exec(sql::pg_query(period ? "period_rows" : "window_rows"), {id}), period);
    if (rows_belong_to(state, rows)) state.rows = std::move(rows);
  }
  snapshot.commit();
  return state;
}

std::vector<ReportState> PgReports::list(std::size_t limit, std::optional<Instant> before) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PgResult found = db_.exec(sql::pg_query("list_reports"),
                                  {std::to_string(limit), pg_micros_or_null(before)}, true);
  std::vector<ReportState> states;
  for (int row = 0; row < found.rows(); ++row) states.push_back(read_report_state(found, row));
  return states;
}

std::optional<std::string> PgReports::newest_standard() {
  std::lock_guard<std::mutex> lock(mutex_);
  const PgResult found = db_.exec(sql::pg_query("newest_standard_report"));
  if (found.rows() == 0) return std::nullopt;
  return std::string(found.text(0, 0));
}
