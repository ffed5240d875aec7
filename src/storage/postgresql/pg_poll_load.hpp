// Polls into PostgreSQL (rules §1) the way SQLite's poll writer loads them
// (poll_writer.hpp): store keys resolved here, the input's rows sorted batch
// by batch into runs (sorted_runs.hpp: in memory up to a bound, then in a
// temporary file) and merged in key order, and each poll newer than all its
// store had before the import COPY'd straight into `polls` in that order,
// its duplicates and conflicts within the input counted here. Only the
// others, which may be in the table already, go through the set operation
// that compares them with it (sql/postgresql/queries/import.sql:
// load_incoming_polls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "storage/import_summary.hpp"
#include "storage/ingest.hpp"
#include "storage/postgresql/pg_connection.hpp"

// How the polls are held: per sorted batch, in memory in all (past that,
// the runs go to a temporary file), and polls that may be known sent to the
// set operation at a time. Smaller in tests.
struct PgPollSizes {
  std::size_t batch_polls;
  std::size_t memory_polls;
  std::size_t older_polls;
};
// As SQLite's (PollWriter::kSizes says why); 16 bytes a poll, so at most
// 4 MB a batch, 48 MB of runs and 16 MB of older polls.
constexpr PgPollSizes kPgPollSizes{1 << 18, 3 << 20, 1 << 20};

// Loads the rows of `polls`, rejecting bad ones by line; inside the caller's
// transaction, with the imports' lock held and the keyed "incoming" table
// made (create_incoming_polls). Each valid poll goes to rules.on_poll with
// its store's key; with rules.alerts, those recent enough raise alerts in
// the same transaction (as SQLite's ingest, ingest.hpp).
// Returns the keys of the stores the input named, sorted.
std::vector<std::int64_t> pg_load_polls(PgConnection& db, const PollRows& polls,
                                        const IngestRules& rules, const Progress& progress,
                                        ImportSummary& summary,
                                        const PgPollSizes& sizes = kPgPollSizes);
