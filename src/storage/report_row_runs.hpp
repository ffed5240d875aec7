// A report's rows, computed in store key order (each store's polls side by
// side on disk: a report in store_id order took 23 % longer at a million
// stores) and given out in the report's order, by store_id. Rows are sorted
// in runs of a bounded size; past the first, runs go to a temporary file
// beside the database, and the end merges them. Memory: one run being
// filled, one being sorted, then a read buffer per run, whatever the fleet.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "storage/temp_file.hpp"

template <class Row>  // StoreFigures or PeriodFigures
class ReportRowRuns {
 public:
  // Runs of at most `run_rows` rows (at least 1); the file, when needed, in
  // `folder`.
  ReportRowRuns(const std::string& folder, std::size_t run_rows);

  // Adds rows in any order; any thread. A full run is sorted and written by
  // the thread that filled it while others go on adding.
  void add(std::vector<Row>& rows);
  // Every row, by store_id, to `sink` in chunks of at most `chunk_rows`.
  // Once, after every add returned.
  void merge(std::size_t chunk_rows, const std::function<void(std::vector<Row>&&)>& sink);
  std::size_t rows() const { return rows_; }

 private:
  struct Run {
    std::uint64_t offset = 0;  // of its first byte in the file
    std::uint64_t bytes = 0;
  };
  void spill(std::vector<Row> rows);  // sorts and writes one run

  std::size_t run_rows_;
  std::mutex filling_;  // guards the two below
  std::vector<Row> filling_rows_;
  std::size_t rows_ = 0;
  std::mutex spilling_;  // guards the file and runs_
  TempFile file_;
  std::vector<Run> runs_;
};

extern template class ReportRowRuns<StoreFigures>;
extern template class ReportRowRuns<PeriodFigures>;
