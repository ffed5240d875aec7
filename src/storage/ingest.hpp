// Loading input rows into the database (rules §1): CSV files and streams, JSON
// bodies read by json_rows, or any RowSource (row_source.hpp). Each input lands in one
// transaction or not at all; bad rows are counted and named, good rows load.
#pragma once

#include <chrono>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "core/csv.hpp"
#include "core/records.hpp"
#include "storage/database.hpp"
#include "storage/import_summary.hpp"
#include "storage/json_rows.hpp"
#include "storage/row_source.hpp"

// Rules that depend on the moment of loading, not on the row alone.
struct IngestRules {
  // A poll later than this is a bad row: a typo such as 9999-12-31 would
  // otherwise become every report's default `now` and move retention's line.
  std::optional<Instant> latest_poll;

  // With alert rules, polls that arrive within rules.silence of their own
  // instant (by `clock`) run the alert engine in the ingest's transaction.
  std::optional<AlertRules> alerts;
  Instant clock{};

  // Added to every poll's instant as it is read (the live demo's import
  // moves old data to now, app/demo_feed.hpp); zero: none.
  std::chrono::microseconds shift{0};

  // Called for each valid row as it is loaded, with its store's key: a
  // poll's (on_poll) or another data set's (on_store), so the server can
  // bring its live state up to date once the transaction commits. Empty: nothing.
  std::function<void(std::int64_t store, Instant at, bool active)> on_poll;
  std::function<void(std::int64_t store)> on_store;

  // Called in an ingest of polls just before its transaction commits (a
  // test's hold, common/test_hold.hpp); empty: nothing.
  std::function<void()> before_polls_commit;

  // Polls may be at most `max_future` later than the wall clock; a test may
  // hold the polls' commit (UPTIME_TEST_HOLD_IMPORT, common/test_hold.hpp).
  static IngestRules for_clock(std::chrono::seconds max_future);
};

// A poll row as rules §1 and `rules` take it (called on worker threads).
RowError parse_poll_row(const std::vector<std::string>& fields, const ColumnMap& columns,
                        const IngestRules& rules, PollRecord& poll);

// The poll rows of an input, in order: false at its end; `error` is set for
// a bad row, else `poll` holds it.
using PollRows = std::function<bool(std::size_t& line, RowError& error, PollRecord& poll)>;

// Makes an input's poll rows once the header's columns are known.
using PollRowsFor = std::function<PollRows(const ColumnMap& columns)>;

// The poll rows of `rows`, read and parsed one by one (a CSV input's are
// read on worker threads instead: csv_poll_rows). `rows` and `rules` must
// outlive what is returned.
PollRows poll_rows_of(const RowSource& rows, const ColumnMap& columns, const IngestRules& rules);

// Counts the rows of one input and reports progress now and then.
struct RowCount {
  ImportSummary& summary;
  const Progress& progress;

  void add() {
    ++summary.rows_read;
    if (progress && summary.rows_read % 100000 == 0) progress(summary.rows_read);
  }
};

// Reads every row of `rows` (an input of the small data sets: hours, special
// hours, zones, tags, names), counting each: a bad one (malformed, or refused
// by `parse`) is rejected by its line, a good one goes to
// `each(line, record)`.
template <class Record, class Each>
void for_each_record(const RowSource& rows, const ColumnMap& columns,
                     RowError (*parse)(const std::vector<std::string>&, const ColumnMap&, Record&),
                     RowCount& count, const Each& each) {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string malformed;
  Record record;
  while (rows(fields, line, malformed)) {
    count.add();
    const RowError error = malformed.empty() ? parse(fields, columns, record) : malformed;
    if (!error.empty()) {
      count.summary.reject(line, error);
      continue;
    }
    each(line, record);
  }
}

// Reads the header of an input from `rows`: false (with summary.error set)
// when the input is rejected whole.
bool read_header(Dataset dataset, const RowSource& rows, ColumnMap& columns,
                 ImportSummary& summary);

// Loads every row of `rows` as the given data set in one transaction.
// Throws (after rolling back) when the database fails.
ImportSummary ingest_rows(Database& db, Dataset dataset, const std::string& source,
                          const RowSource& rows, const Progress& progress = {},
                          const IngestRules& rules = {});

// The same for CSV text (header first) read from a stream.
ImportSummary ingest_csv(Database& db, Dataset dataset, const std::string& source,
                         std::istream& csv, const Progress& progress = {},
                         const IngestRules& rules = {});

// Loads rows read by read_json_rows like ingest_rows. Row numbers are 1-based
// positions in the array. A body rejected whole writes nothing.
ImportSummary ingest_json_rows(Database& db, Dataset dataset, const std::string& source,
                               const JsonRows& rows, const IngestRules& rules = {});

// Loads the rows of a JSON body, its columns known, in one transaction.
using JsonRowsIngest = std::function<ImportSummary(const RowSource& rows)>;

// A body read by read_json_rows rejected whole (nothing written), or its
// rows loaded by `ingest`: what any engine's ingest_json_rows does.
ImportSummary ingest_json_rows(const JsonRows& json_rows, Dataset dataset,
                               const std::string& source, const JsonRowsIngest& ingest);

// read_json_rows, then ingest_json_rows.
ImportSummary ingest_json(Database& db, Dataset dataset, const std::string& source,
                          const std::string& json_text, const IngestRules& rules = {});

// Loads one CSV input as a data set in one transaction (ingest_csv, or
// another engine's, storage/store_engine.hpp).
using CsvIngest = std::function<ImportSummary(Dataset dataset, const std::string& source,
                                              std::istream& csv, const Progress& progress)>;

// Imports the CSV files of a folder that exist under their default names
// (store_status.csv, menu_hours.csv, timezones.csv, special_hours.csv), one
// transaction each, through `ingest`.
// `on_file` sees each summary as soon as that file is done. Throws
// std::runtime_error if the folder holds none of them.
std::vector<ImportSummary> import_directory(
    const CsvIngest& ingest, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file = {},
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for = {});

// The same into a SQLite database.
std::vector<ImportSummary> import_directory(
    Database& db, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file = {},
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for = {},
    const IngestRules& rules = {});

// The rows of CSV text read by `reader`, for ingest_rows and read_header.
RowSource csv_row_source(CsvReader& reader);

// The poll rows of the rest of a CSV input whose header `reader` has read
// (the bytes it holds, then `csv`): read and checked on worker threads, the
// bulk of any import (parallel_poll_rows.hpp). Valid while `reader` and
// `csv` are.
PollRows csv_poll_rows(CsvReader& reader, std::istream& csv, const ColumnMap& columns,
                       const IngestRules& rules);
