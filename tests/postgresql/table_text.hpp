// What a query reads, as text both engines write alike: a row a line, its
// columns joined by "|", NULL as "-". Parity tests compare tables this way.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <functional>
#include <string>

#include "storage/database.hpp"
#include "storage/postgresql/pg_connection.hpp"

namespace test {

using RowsOf = std::function<std::string(const std::string& query)>;

inline RowsOf sqlite_rows_of(Database& db) {
  return [&db](const std::string& query) {
    SQLite::Statement statement(db.sql(), query);
    std::string text;
    while (statement.executeStep()) {
      for (int column = 0; column < statement.getColumnCount(); ++column) {
        const SQLite::Column value = statement.getColumn(column);
        text += (column ? "|" : "") + (value.isNull() ? std::string("-") : value.getString());
      }
      text += "\n";
    }
    return text;
  };
}

inline RowsOf postgresql_rows_of(PgConnection& db) {
  return [&db](const std::string& query) {
    const PgResult result = db.exec(query);
    std::string text;
    for (int row = 0; row < result.rows(); ++row) {
      for (int column = 0; column < result.columns(); ++column) {
        text += (column ? "|" : "") +
                (result.is_null(row, column) ? std::string("-") : result.text(row, column));
      }
      text += "\n";
    }
    return text;
  };
}

// Events (without the wall clock they were raised at), their deliveries and
// every store's alert state.
inline std::string alert_tables(const RowsOf& rows) {
  return "events:\n" +
         rows(
             "SELECT id, store, type, at_us, incident_start_us, downtime_us FROM alert_events "
             "ORDER BY id") +
         "deliveries:\n" +
         rows(
             "SELECT id, event, webhook, store, state, attempts FROM webhook_deliveries "
             "ORDER BY id") +
         "state:\n" +
         rows(
             "SELECT store, last_poll_us, last_active, inactive_run, run_start_us, "
             "incident_start_us, silent_since_us FROM alert_state ORDER BY store");
}

}  // namespace test
