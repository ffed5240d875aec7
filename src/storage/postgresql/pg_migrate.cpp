#include "storage/postgresql/pg_migrate.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstdio>
#include <stdexcept>

#include "storage/embedded_sql.hpp"
#include "storage/kept_polls.hpp"
#include "storage/postgresql/pg_schema.hpp"
#include "storage/read_transaction.hpp"

namespace {

// The tables copied, each after those its foreign keys name.
constexpr const char* kCopiedTables[] = {
    "stores",        "polls",          "daily_rollups",  "rollup_rules",       "business_hours",
    "special_hours", "store_tags",     "reports",        "report_window_rows", "report_period_rows",
    "tokens",        "token_stores",   "alert_state",    "alert_events",       "alert_event_totals",
    "webhooks",      "webhook_events", "webhook_stores", "webhook_deliveries"};

// Those whose ids PostgreSQL numbers (an identity column "id").
bool numbered(const std::string& table) {
  return table == "stores" || table == "tokens" || table == "alert_events" || table == "webhooks" ||
         table == "webhook_deliveries";
}

// A query with {table} and {columns} filled in.
std::string with_names(std::string query, const std::string& table,
                       const std::string& columns = "") {
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"{table}", table},
                                    std::pair<std::string, std::string>{"{columns}", columns}}) {
    for (auto at = query.find(name); at != std::string::npos; at = query.find(name, at)) {
      query.replace(at, name.size(), value);
      at += value.size();
    }
  }
  return query;
}

// A SQLite value in COPY's text format.
void add_value(std::string& out, const SQLite::Column& value) {
  if (value.isNull()) {
    out += "\\N";
  } else if (value.isInteger()) {
    out += std::to_string(value.getInt64());
  } else if (value.isFloat()) {
    char number[32];
    std::snprintf(number, sizeof number, "%.17g", value.getDouble());
    out += number;
  } else if (value.isBlob()) {
    // bytea's hex form, its backslash escaped for COPY.
    static const char kHex[] = "0123456789abcdef";
    const auto* bytes = static_cast<const unsigned char*>(value.getBlob());
    out += "\\\\x";
    for (int i = 0; i < value.getBytes(); ++i) {
      out += kHex[bytes[i] >> 4];
      out += kHex[bytes[i] & 15];
    }
  } else {
    append_copy_text(out, value.getString());
  }
}

std::vector<std::string> columns_of(PgConnection& to, const std::string& table) {
  const PgResult result = to.exec(sql::pg_query("table_columns"), {table});
  std::vector<std::string> columns;
  for (int row = 0; row < result.rows(); ++row) columns.emplace_back(result.text(row, 0));
  if (columns.empty()) throw std::runtime_error("PostgreSQL has no table " + table);
  return columns;
}

// Sends every row of SQLite's `table` (the columns PostgreSQL's has) with
// COPY; returns how many.
std::size_t copy_rows(SQLite::Database& from, PgConnection& to, const std::string& table) {
  std::string columns;
  for (const std::string& column : columns_of(to, table)) {
    columns += (columns.empty() ? "" : ", ") + column;
  }
  SQLite::Statement rows(from, with_names(sql::query("migrate_rows"), table, columns));
  to.copy_begin(with_names(sql::pg_query("copy_table"), table, columns));
  std::string row;
  std::size_t count = 0;
  while (rows.executeStep()) {
    row.clear();
    for (int column = 0; column < rows.getColumnCount(); ++column) {
      if (column > 0) row += '\t';
      add_value(row, rows.getColumn(column));
    }
    row += '\n';
    to.copy_put(row);
    ++count;
  }
  to.copy_end();
  return count;
}

}  // namespace

std::vector<CopiedTable> copy_sqlite_to_postgresql(
    Database& from, PgConnection& to, const std::function<void(const CopiedTable&)>& on_table) {
  const int version = from.schema_version();
  if (version != Database::latest_schema_version()) {
    throw std::runtime_error(from.path() + " has schema version " + std::to_string(version) +
                             ", this binary " + std::to_string(Database::latest_schema_version()) +
                             ": open it with this binary's import or serve first");
  }
  // One snapshot for the check and every table: a server may run on the file.
  const ReadTransaction snapshot(from.sql());
  // Retention's deleted polls live on as SQLite's daily rollups only (frozen
  // dates): PostgreSQL's roll-up would make those dates anew from what is left.
  if (const auto line = polls_deleted_before(from)) {
    throw std::runtime_error(
        from.path() + ": retention deleted polls before " + format_timestamp(*line) +
        " and keeps their dates as daily rollups only, which PostgreSQL does not keep yet "
        "(docs/postgresql.md): migrate copies a database that has all its polls (one served "
        "with --keep-polls-days 0)");
  }
  migrate_postgresql(to);
  PgTransaction transaction(to);
  to.exec(sql::pg_query("lock_imports"));  // no import meanwhile
  for (const char* table : kCopiedTables) {
    if (to.exec(with_names(sql::pg_query("holds_rows"), table)).text(0, 0) == std::string("t")) {
      throw std::runtime_error("PostgreSQL at " + to.where() + " already holds data (table " +
                               table + "): migrate copies into an empty database");
    }
  }
  std::vector<CopiedTable> copied;
  for (const std::string table : kCopiedTables) {
    if (table == "alert_event_totals") to.exec(sql::pg_query("clear_alert_event_totals"));
    CopiedTable done{table, 0};
    try {
      done.rows = copy_rows(from.sql(), to, table);
    } catch (const std::exception& error) {
      throw std::runtime_error("copying table " + table + ": " + error.what());
    }
    const auto in_sqlite = static_cast<std::size_t>(
        from.sql().execAndGet(with_names(sql::query("migrate_count"), table)).getInt64());
    const auto in_postgresql = static_cast<std::size_t>(
        to.exec(with_names(sql::pg_query("count_rows"), table)).int64(0, 0));
    if (in_sqlite != done.rows || in_postgresql != done.rows) {
      throw std::runtime_error("table " + table + ": " + std::to_string(in_sqlite) +
                               " rows in SQLite, " + std::to_string(done.rows) + " copied, " +
                               std::to_string(in_postgresql) + " in PostgreSQL");
    }
    if (numbered(table)) {
      const std::int64_t highest =
          from.sql().execAndGet(with_names(sql::query("migrate_highest_id"), table)).getInt64();
      if (highest > 0) {
        to.exec(with_names(sql::pg_query("continue_numbering"), table), {std::to_string(highest)});
      }
    }
    copied.push_back(done);
    if (on_table) on_table(done);
  }
  to.exec(sql::pg_query("recount_polls"));
  transaction.commit();
  to.exec(sql::pg_query("analyze_after_import"));
  return copied;
}
