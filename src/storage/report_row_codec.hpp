// A report's rows as bytes and back: the runs report_row_runs.hpp spills to
// its temporary file, and the parts of a report other servers compute on
// PostgreSQL (postgresql/pg_report_parts.hpp). A record is a 4-byte length,
// then the row: its store_id and its numbers, 8 bytes each, in the machine's
// byte order (the servers sharing a database run the same build).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/report.hpp"

// Appends the row's record to `bytes`.
void append_row_record(std::string& bytes, const StoreFigures& row);
void append_row_record(std::string& bytes, const PeriodFigures& row);

// Decodes the whole records at the start of [data, data + size) onto `rows`;
// returns the bytes they took (a cut record at the end is left).
template <class Row>
std::size_t read_row_records(const char* data, std::size_t size, std::vector<Row>& rows);
