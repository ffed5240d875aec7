// Imports into PostgreSQL: each input's rows checked as for SQLite (the same
// parsers, the same rejections by line), its valid rows sent with COPY into a
// temporary table, then rules §1 and §6 applied in a few set operations
// (sql/postgresql/queries/import.sql), all in one transaction. Polls go
// their own faster way (pg_poll_load.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "storage/import_summary.hpp"
#include "storage/ingest.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_poll_load.hpp"

// Loads CSV text (header first) as the given data set; polls held as
// `poll_sizes` says (pg_poll_load.hpp).
ImportSummary pg_ingest_csv(PgConnection& db, Dataset dataset, const std::string& source,
                            std::istream& csv, const Progress& progress = {},
                            const IngestRules& rules = {},
                            const PgPollSizes& poll_sizes = kPgPollSizes);

// Loads the rows of `rows` (a JSON body's, json_rows.hpp), header first,
// the same way.
ImportSummary pg_ingest_rows(PgConnection& db, Dataset dataset, const std::string& source,
                             const RowSource& rows, const IngestRules& rules = {});

// Marks the stores with these keys out of date from their first poll on
// (their hours, special dates or zone changed: docs/rollups.md), in the
// caller's transaction.
void pg_mark_out_of_date(PgConnection& db, const std::vector<std::int64_t>& keys);

// Notes that the stores with these keys changed (store_changes, so other
// servers' live state follows), in the caller's transaction with the
// imports' lock held (lock_imports).
void pg_note_store_changes(PgConnection& db, const std::vector<std::int64_t>& keys);
