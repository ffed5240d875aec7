// A finished report's rows in the tables report_window_rows and
// report_period_rows (sql/013_report_rows.sql): written once, read by column
// name. Lengths are kept exact (half microseconds), so nothing is rounded
// twice.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

#include "core/report.hpp"

// Writes the rows of report `id`; call inside the transaction that marks it
// Complete.
void write_report_rows(SQLite::Database& db, const std::string& id, const ReportRows& rows);

// Reads them back in store_id order: period rows when `period`, else window
// rows. Empty for a report that has none.
ReportRows read_report_rows(SQLite::Database& db, const std::string& id, bool period);
