// A finished report's rows in the tables report_window_rows and
// report_period_rows (sql/013_report_rows.sql): written once, read by column
// name. Lengths are kept exact (half microseconds), so nothing is rounded
// twice.
#pragma once

#include <SQLiteCpp/Database.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/report.hpp"

// Writes the rows of report `id`; call inside the transaction that marks it
// Complete.
void write_report_rows(SQLite::Database& db, const std::string& id, const ReportRows& rows);

// Reads them back in store_id order: period rows when `period`, else window
// rows. Empty for a report that has none.
ReportRows read_report_rows(SQLite::Database& db, const std::string& id, bool period);
// The same a chunk of at most `chunk_rows` at a time, each to `each`: the
// rows of a million stores are never in memory at once.
void read_report_rows(SQLite::Database& db, const std::string& id, bool period,
                      std::size_t chunk_rows, const std::function<void(ReportRows&&)>& each);

// The columns a page of rows may be sorted by, as answers name them, with
// the SQL each stands for.
const std::vector<std::pair<const char*, const char*>>& report_sort_columns(bool period);

struct ReportRowsQuery {
  std::size_t offset = 0;
  std::size_t limit = 100;
  std::string sort = "store_id";  // one of report_sort_columns
  bool descending = false;
  std::string contains;   // store_id or the store's name contains this; empty: all
  bool only = false;      // only the stores of only_json (an owner's)
  std::string only_json;  // their ids as a JSON array
};
struct ReportRowsPage {
  std::int64_t total = 0;  // rows that match, over all pages
  ReportRows rows;
};
// One page of a report's rows, sorted and filtered by SQLite: its cost
// grows with the report's rows only through the sort, never through the
// rows sent.
ReportRowsPage read_report_rows_page(SQLite::Database& db, const std::string& id, bool period,
                                     const ReportRowsQuery& query);
