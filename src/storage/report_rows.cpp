#include "storage/report_rows.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "storage/embedded_sql.hpp"

namespace {

// The columns of each window's figures, in Window order (core/report.hpp).
constexpr std::array<const char*, kWindowCount> kUptimeColumns = {"uptime_hour", "uptime_day",
                                                                  "uptime_week"};
constexpr std::array<const char*, kWindowCount> kDowntimeColumns = {"downtime_hour", "downtime_day",
                                                                    "downtime_week"};
constexpr std::array<const char*, kWindowCount> kUnknownTimeColumns = {
    "unknown_hour", "unknown_day", "unknown_week"};

std::int64_t count(FineInstant instant) {
  return instant.time_since_epoch().count();
}
FineInstant instant(const SQLite::Column& column) {
  return FineInstant{HalfMicroseconds{column.getInt64()}};
}
HalfMicroseconds length(const SQLite::Column& column) {
  return HalfMicroseconds{column.getInt64()};
}

// Binds a window row's columns from `column` on; returns the next column.
int bind_row(SQLite::Statement& insert, int column, const std::string& id,
             const StoreFigures& row) {
  const NowStatus& now = row.now;
  // Not copied: both strings outlive the statement's execution.
  insert.bindNoCopy(column++, id);
  insert.bindNoCopy(column++, row.store_id);
  for (const auto* figures : {&row.uptime, &row.downtime, &row.unknown}) {
    for (HalfMicroseconds figure : *figures) insert.bind(column++, figure.count());
  }
  insert.bindNoCopy(column++, store_state_name(now.state));
  insert.bind(column++, count(now.since));
  insert.bind(column++, now.since_week_start ? 1 : 0);
  if (now.opens) {
    insert.bind(column++, count(*now.opens));
  } else {
    insert.bind(column++);
  }
  return column;
}

int bind_row(SQLite::Statement& insert, int column, const std::string& id,
             const PeriodFigures& row) {
  insert.bindNoCopy(column++, id);
  insert.bindNoCopy(column++, row.store_id);
  insert.bind(column++, count(row.period.begin));
  insert.bind(column++, count(row.period.end));
  insert.bind(column++, row.business.count());
  insert.bind(column++, row.uptime.count());
  insert.bind(column++, row.downtime.count());
  insert.bind(column++, row.unknown.count());
  return column;
}

// Inserts `rows`, many to a statement: a report at a million stores writes a
// million rows, and a statement each took 4 s of the report's 19.
template <class Row>
void write_rows(SQLite::Database& db, const std::string& id, const std::vector<Row>& rows) {
  constexpr std::size_t kRowsPerInsert = 64;  // 15 columns: 960 of SQLite's 32,766 parameters
  constexpr bool window = std::is_same_v<Row, StoreFigures>;
  const char* head = window ? "insert_window_rows" : "insert_period_rows";
  const char* values = window ? "window_row_values" : "period_row_values";
  std::optional<SQLite::Statement> many;
  std::size_t done = 0;
  if (rows.size() >= kRowsPerInsert) {
    many.emplace(db, sql::repeated_rows(head, values, kRowsPerInsert));
  }
  for (; rows.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
    int column = 1;
    for (std::size_t i = done; i < done + kRowsPerInsert; ++i) {
      column = bind_row(*many, column, id, rows[i]);
    }
    many->exec();
    many->reset();
  }
  if (done == rows.size()) return;
  SQLite::Statement one(db, sql::repeated_rows(head, values, 1));
  for (; done < rows.size(); ++done) {
    bind_row(one, 1, id, rows[done]);
    one.exec();
    one.reset();
  }
}

// The rows a statement over report_window_rows yields, at most `limit`.
std::vector<StoreFigures> read_window_rows(SQLite::Statement& query, std::size_t limit = SIZE_MAX) {
  std::vector<StoreFigures> rows;
  while (rows.size() < limit && query.executeStep()) {
    StoreFigures row;
    row.store_id = query.getColumn("store_id").getString();
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      row.uptime[w] = length(query.getColumn(kUptimeColumns[w]));
      row.downtime[w] = length(query.getColumn(kDowntimeColumns[w]));
      row.unknown[w] = length(query.getColumn(kUnknownTimeColumns[w]));
    }
    NowStatus now;
    const std::string state = query.getColumn("now_state").getString();
    const auto parsed = parse_store_state(state);
    if (!parsed) throw std::runtime_error("a report row has an unknown now_state '" + state + "'");
    now.state = *parsed;
    now.since = instant(query.getColumn("now_since"));
    now.since_week_start = query.getColumn("now_since_week_start").getInt() != 0;
    const SQLite::Column opens = query.getColumn("now_opens");
    if (!opens.isNull()) now.opens = instant(opens);
    row.now = now;
    rows.push_back(std::move(row));
  }
  return rows;
}

// The rows a statement over report_period_rows yields, at most `limit`.
std::vector<PeriodFigures> read_period_rows(SQLite::Statement& query,
                                            std::size_t limit = SIZE_MAX) {
  std::vector<PeriodFigures> rows;
  while (rows.size() < limit && query.executeStep()) {
    PeriodFigures row;
    row.store_id = query.getColumn("store_id").getString();
    row.period = {instant(query.getColumn("period_begin")), instant(query.getColumn("period_end"))};
    row.business = length(query.getColumn("business"));
    row.uptime = length(query.getColumn("uptime"));
    row.downtime = length(query.getColumn("downtime"));
    row.unknown = length(query.getColumn("unknown"));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

void write_report_rows(SQLite::Database& db, const std::string& id, const ReportRows& rows) {
  std::visit([&](const auto& list) { write_rows(db, id, list); }, rows);
}

ReportRows read_report_rows(SQLite::Database& db, const std::string& id, bool period) {
  SQLite::Statement query(db, sql::query(period ? "period_rows" : "window_rows"));
  query.bind(1, id);
  if (period) return read_period_rows(query);
  return read_window_rows(query);
}

void read_report_rows(SQLite::Database& db, const std::string& id, bool period,
                      std::size_t chunk_rows, const std::function<void(ReportRows&&)>& each) {
  SQLite::Statement query(db, sql::query(period ? "period_rows" : "window_rows"));
  query.bind(1, id);
  for (;;) {
    ReportRows rows = period ? ReportRows{read_period_rows(query, chunk_rows)}
                             : ReportRows{read_window_rows(query, chunk_rows)};
    const std::size_t count = row_count(rows);
    if (count > 0) each(std::move(rows));
    if (count < chunk_rows) return;
  }
}

namespace {

// The ORDER BY's expression for a sort name: the only text that reaches it.
std::string sort_expression(bool period, const std::string& name) {
  const char* column = report_sort_column(period, name);
  return column ? column : "CAST(r.uptime AS REAL) / nullif(r.uptime + r.downtime, 0)";
}

}  // namespace

ReportRowsPage read_report_rows_page(SQLite::Database& db, const std::string& id, bool period,
                                     const ReportRowsQuery& query) {
  const std::string order = sort_expression(period, query.sort);
  const auto bind_filters = [&](SQLite::Statement& statement) {
    statement.bind(1, id);
    if (!query.contains.empty()) statement.bind(2, query.contains);
    if (query.only) statement.bind(3, query.only_json);
  };
  ReportRowsPage page;
  SQLite::Statement count(db, sql::query(period ? "period_rows_count" : "window_rows_count"));
  bind_filters(count);
  if (count.executeStep()) page.total = count.getColumn(0).getInt64();
  const std::string direction = query.descending ? " DESC" : " ASC";
  SQLite::Statement rows(
      db, std::string(sql::query(period ? "period_rows_where" : "window_rows_where")) +
              " ORDER BY " + order + direction + ", r.store_id" + direction +
              " LIMIT ?4 OFFSET ?5");
  bind_filters(rows);
  rows.bind(4, static_cast<std::int64_t>(query.limit));
  rows.bind(5, static_cast<std::int64_t>(query.offset));
  if (period) {
    page.rows = read_period_rows(rows);
  } else {
    page.rows = read_window_rows(rows);
  }
  return page;
}
