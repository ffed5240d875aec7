// A finished report's rows in the tables report_window_rows and
// report_period_rows (sql/013_report_rows.sql): written once, read by column
// name. Lengths are kept exact (half microseconds), so nothing is rounded
// twice.
#pragma once

#include <SQLiteCpp/Database.h>

#include <functional>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "storage/reports.hpp"

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

// One page of a report's rows, sorted and filtered by SQLite (Reports::rows_page).
ReportRowsPage read_report_rows_page(SQLite::Database& db, const std::string& id, bool period,
                                     const ReportRowsQuery& query);
