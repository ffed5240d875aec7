// Loading input rows into the database (SPEC §1): CSV files and streams, or
// rows already split into fields (API bodies). Each input lands in one
// transaction or not at all; bad rows are counted and named, good rows load.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "database.hpp"
#include "records.hpp"

struct ImportSummary {
  std::string source;  // file name, or what the rows came from
  Dataset dataset = Dataset::polls;
  std::size_t rows_read = 0;   // data rows (header and blank lines not counted)
  std::size_t loaded = 0;      // new polls / hours rows / zone rows written
  std::size_t duplicates = 0;  // polls already known with the same status
  std::size_t conflicts = 0;   // polls already known with another status (first kept)
  std::size_t rejected = 0;    // bad rows
  std::vector<std::string> first_rejections;  // "<source>:<line>: <reason>", at most 10
  std::string error;  // when set, the whole input was rejected and nothing written
  double seconds = 0;

  bool ok() const { return error.empty(); }
  // One line for people: "store_status.csv: 1000 rows read, 998 loaded, ..."
  std::string text() const;
  // The same as a JSON object (API answers and JSON logs).
  nlohmann::json json() const;
};

constexpr std::size_t kRejectionsListed = 10;

// One row for the loader: the first call must yield the header. Returns false
// at the end of the input. `line` numbers the row for messages; `malformed`
// is set (to the reason) for a row that could not even be split into fields.
using RowSource = std::function<bool(std::vector<std::string>& fields, std::size_t& line,
                                     std::string& malformed)>;

// Called now and then while loading: bytes or rows consumed so far.
using Progress = std::function<void(std::size_t rows_read)>;

// Loads every row of `rows` as the given data set in one transaction.
// Throws (after rolling back) when the database fails.
ImportSummary ingest_rows(Database& db, Dataset dataset, const std::string& source,
                          const RowSource& rows, const Progress& progress = {});

// The same for CSV text (header first) read from a stream.
ImportSummary ingest_csv(Database& db, Dataset dataset, const std::string& source,
                         std::istream& csv, const Progress& progress = {});

// The same for a JSON array of objects whose keys are the CSV column names
// (matched the same way); values are strings or integers. Row numbers are
// 1-based positions in the array. Text that is not such an array is
// rejected whole (summary.error), with nothing written.
ImportSummary ingest_json(Database& db, Dataset dataset, const std::string& source,
                          const std::string& json_text);

// Imports the CSV files of a folder that exist under their default names
// (store_status.csv, menu_hours.csv, timezones.csv), one transaction each.
// `on_file` sees each summary as soon as that file is done. Throws
// std::runtime_error if the folder holds none of them.
std::vector<ImportSummary> import_directory(
    Database& db, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file = {},
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for = {});

// Number of polls in the database.
std::int64_t count_polls(Database& db);
