// Imports into PostgreSQL: each input's rows checked as for SQLite (the same
// parsers, the same rejections by line), its valid rows sent with COPY into a
// temporary table, then rules §1 and §6 applied in a few set operations
// (sql/postgresql/queries/import.sql), all in one transaction. Polls go
// their own faster way (pg_poll_load.hpp).
#pragma once

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
