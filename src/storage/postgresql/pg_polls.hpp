// Stores' polls read from PostgreSQL a row per store (or range): the
// instants and statuses as two binary arrays (chunk_polls in
// sql/postgresql/queries/report.sql says why), for reports and roll-ups.
#pragma once

#include <cstdint>
#include <vector>

#include "core/store_input.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/report_range.hpp"

// Appends the polls in columns `at_column` (bigint[] of UTC µs) and the one
// after it (boolean[]) of `row` to `polls`, in time order. Throws
// std::runtime_error when the arrays are uneven.
void append_poll_arrays(const PgResult& result, int row, int at_column, std::vector<Poll>& polls);

// One store's range to read polls for.
struct StoreRange {
  std::int64_t store;  // key
  ReadRange range;
};

// The polls that can matter for each range, as store_polls
// (sql/queries/report.sql) selects them, in one statement whatever their
// number: an entry per range, in the same order.
std::vector<std::vector<Poll>> read_polls_in_ranges(PgConnection& db,
                                                    const std::vector<StoreRange>& ranges);
