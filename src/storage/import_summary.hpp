// What one input did to the database (rules §1): rows read, loaded,
// duplicates, conflicts and the bad rows by line, or why it was rejected whole.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "core/records.hpp"

constexpr std::size_t kRejectionsListed = 10;

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
  // Counts a bad row; the first kRejectionsListed are named.
  void reject(std::size_t line, const std::string& reason);
  // One line for people: "store_status.csv: 1000 rows read, 998 loaded, ..."
  std::string text() const;
  // The same as a JSON object (API answers).
  nlohmann::json json() const;
  // The same for a log line, without the rejected rows (logged one by one).
  LogFields log_fields() const;
};
