// Loading input rows into the database (rules §1): CSV files and streams, or
// rows already split into fields (API bodies). Each input lands in one
// transaction or not at all; bad rows are counted and named, good rows load.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alerts.hpp"
#include "database.hpp"
#include "log.hpp"
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
  // The same as a JSON object (API answers).
  nlohmann::json json() const;
  // The same for a log line, without the rejected rows (logged one by one).
  LogFields log_fields() const;
};

constexpr std::size_t kRejectionsListed = 10;

// Rules that depend on the moment of loading, not on the row alone.
struct IngestRules {
  // A poll later than this is a bad row: a typo such as 9999-12-31 would
  // otherwise become every report's default `now` and move retention's line.
  std::optional<Instant> latest_poll;

  // With alert rules, polls that arrive within rules.silence of their own
  // instant (by `clock`) run the alert engine in the ingest's transaction.
  std::optional<AlertRules> alerts;
  Instant clock{};

  // Called in an ingest of polls just before its transaction commits (a
  // test's hold, common/test_hold.hpp); empty: nothing.
  std::function<void()> before_polls_commit;

  // Polls may be at most `max_future` later than the wall clock; a test may
  // hold the polls' commit (UPTIME_TEST_HOLD_IMPORT, common/test_hold.hpp).
  static IngestRules for_clock(std::chrono::seconds max_future);
};

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
                          const RowSource& rows, const Progress& progress = {},
                          const IngestRules& rules = {});

// The same for CSV text (header first) read from a stream.
ImportSummary ingest_csv(Database& db, Dataset dataset, const std::string& source,
                         std::istream& csv, const Progress& progress = {},
                         const IngestRules& rules = {});

// A field of a JSON row whose key is a column name of the data set.
struct JsonValue {
  enum class Kind { text, other };  // text: a string or an integer (its digits)
  std::size_t column;               // position in JsonRows::header
  Kind kind;
  std::string key;  // as written, for messages
  std::string text;
};

struct JsonRow {
  bool is_object = true;
  std::vector<JsonValue> values;
};

// The rows of a JSON body, read without the database (so without its lock).
struct JsonRows {
  std::string error;                // set: the body is rejected whole
  std::vector<std::string> header;  // column names seen (lower case), in order of first appearance
  std::vector<JsonRow> rows;
};

// Reads a JSON array of objects whose keys are the CSV column names (matched
// the same way); values are strings or integers; other keys are ignored.
// Linear in the body; nesting deeper than 64 levels, text that is not JSON or
// not such an array reject the body whole (error).
JsonRows read_json_rows(Dataset dataset, const std::string& json_text);

// Loads rows read by read_json_rows like ingest_rows. Row numbers are 1-based
// positions in the array. A body rejected whole writes nothing.
ImportSummary ingest_json_rows(Database& db, Dataset dataset, const std::string& source,
                               const JsonRows& rows, const IngestRules& rules = {});

// read_json_rows, then ingest_json_rows.
ImportSummary ingest_json(Database& db, Dataset dataset, const std::string& source,
                          const std::string& json_text, const IngestRules& rules = {});

// Imports the CSV files of a folder that exist under their default names
// (store_status.csv, menu_hours.csv, timezones.csv, special_hours.csv), one
// transaction each.
// `on_file` sees each summary as soon as that file is done. Throws
// std::runtime_error if the folder holds none of them.
std::vector<ImportSummary> import_directory(
    Database& db, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file = {},
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for = {},
    const IngestRules& rules = {});

// Deletes the special dates of `store_id` from `first` to `last` (local
// dates, inclusive) in one transaction. Returns how many rows went, or
// nullopt for an unknown store.
std::optional<std::size_t> delete_special_dates(Database& db, const std::string& store_id,
                                                date::local_days first, date::local_days last);

// Deletes the polls of `store_id` in [from, to) (either end open when not
// given) in one transaction, keeping the store's latest poll and the poll
// count right. Returns how many went, or nullopt for an unknown store.
std::optional<std::size_t> delete_store_polls(Database& db, const std::string& store_id,
                                              std::optional<Instant> from,
                                              std::optional<Instant> to);
