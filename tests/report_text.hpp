// A report as text for tests that compare two ways of answering it: its CSV
// and, for the three windows, each row's status now (rules §8), which the CSV
// does not hold.
#pragma once

#include <string>

#include "core/report.hpp"

namespace test {

inline std::string report_text(const Report& report) {
  std::string text = report_csv(report);
  if (const auto* rows = std::get_if<std::vector<StoreFigures>>(&report.rows)) {
    for (const StoreFigures& row : *rows) {
      text += row.store_id + " " + store_state_name(row.now.state) + " since " +
              std::to_string(row.now.since.time_since_epoch().count()) +
              (row.now.since_week_start ? " (week start)" : "") + " opens " +
              (row.now.opens ? std::to_string(row.now.opens->time_since_epoch().count()) : "-") +
              "\n";
    }
  }
  return text;
}

}  // namespace test
