// Reading a JSON ingest body (an array of objects whose keys are the CSV
// column names) into rows, without the database and so without its lock.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "storage/row_source.hpp"

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

// The rows of a JSON body.
struct JsonRows {
  std::string error;                // set: the body is rejected whole
  std::vector<std::string> header;  // column names seen (lower case), in order of first appearance
  std::vector<JsonRow> rows;

  // The rows as the loader takes them: `header` first (line 0), then each
  // row's fields in header order, numbered from 1 by its place in the array.
  // A row is malformed when it is not an object, lacks a column `columns`
  // requires, or gives one a value that is not a string or an integer.
  // Reads *this, which must outlive the source.
  RowSource source(const ColumnMap& columns) const;
};

// Reads a JSON array of objects whose keys are the CSV column names (matched
// the same way); values are strings or integers; other keys are ignored.
// Linear in the body; nesting deeper than 64 levels, text that is not JSON or
// not such an array reject the body whole (error).
JsonRows read_json_rows(Dataset dataset, const std::string& json_text);
