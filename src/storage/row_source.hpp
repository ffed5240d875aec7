// The one shape every input reaches the loader in (ingest.hpp): rows of text
// fields, the header first. The CSV reader (core/csv) and the JSON reader
// (json_rows) both yield it, so the rules of rules §1 are applied to a row
// once, whatever it was written in.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

// One row for the loader: the first call must yield the header. Returns false
// at the end of the input. `line` numbers the row for messages; `malformed`
// is set (to the reason) for a row that could not even be split into fields.
using RowSource = std::function<bool(std::vector<std::string>& fields, std::size_t& line,
                                     std::string& malformed)>;

// Called now and then while loading: rows consumed so far.
using Progress = std::function<void(std::size_t rows_read)>;
