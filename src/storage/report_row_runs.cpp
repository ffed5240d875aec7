#include "storage/report_row_runs.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "storage/report_row_codec.hpp"

namespace {

template <class Row>
bool by_store_id(const Row& a, const Row& b) {
  return a.store_id < b.store_id;  // bytes, as SQLite's BINARY collation
}

constexpr std::size_t kRunReadBytes = 1 << 16;  // per run and read

}  // namespace

// Named, not anonymous: the merge's lambda holds these, and a unity build
// (where this file is not the main file) warns of a type with linkage
// holding one from an anonymous namespace (-Wsubobject-linkage).
namespace report_row_runs_detail {

// One run being merged: its rows decoded from `bytes`, refilled from the file.
template <class Row>
struct RunCursor {
  std::vector<Row> rows;
  std::size_t at = 0;
  std::uint64_t offset = 0;  // the next byte to read
  std::uint64_t left = 0;    // bytes still in the file
  std::string bytes;         // read, not yet decoded

  // Reads and decodes the next rows; false when the run is done.
  bool refill(const TempFile& file) {
    rows.clear();
    at = 0;
    // Whole records: read until a record is complete, decode all that are.
    for (;;) {
      const std::size_t used = read_row_records(bytes.data(), bytes.size(), rows);
      bytes.erase(0, used);
      if (!rows.empty() || left == 0) break;
      const std::size_t size =
          static_cast<std::size_t>(std::min<std::uint64_t>(kRunReadBytes, left));
      const std::size_t had = bytes.size();
      bytes.resize(had + size);
      file.read(offset, bytes.data() + had, size);
      offset += size;
      left -= size;
    }
    if (rows.empty() && !bytes.empty()) {
      throw std::runtime_error("a report's temporary file holds a cut record");
    }
    return !rows.empty();
  }
};

}  // namespace report_row_runs_detail

template <class Row>
ReportRowRuns<Row>::ReportRowRuns(const std::string& folder, std::size_t run_rows)
    : run_rows_(std::max<std::size_t>(1, run_rows)), file_(folder, "a report") {}

template <class Row>
void ReportRowRuns<Row>::add(std::vector<Row>& rows) {
  std::vector<Row> full;
  {
    std::lock_guard<std::mutex> lock(filling_);
    rows_ += rows.size();
    for (Row& row : rows) {
      filling_rows_.push_back(std::move(row));
      if (filling_rows_.size() < run_rows_) continue;
      // More than one run fills at once only when `rows` is larger than a run.
      if (!full.empty()) spill(std::move(full));
      full = std::move(filling_rows_);
      filling_rows_ = {};
    }
  }
  rows.clear();
  if (!full.empty()) spill(std::move(full));
}

template <class Row>
void ReportRowRuns<Row>::spill(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end(), by_store_id<Row>);
  std::string bytes;
  for (const Row& row : rows) append_row_record(bytes, row);
  std::lock_guard<std::mutex> lock(spilling_);
  runs_.push_back({file_.append(bytes.data(), bytes.size()), bytes.size()});
}

template <class Row>
void ReportRowRuns<Row>::merge(std::size_t chunk_rows,
                               const std::function<void(std::vector<Row>&&)>& sink) {
  std::sort(filling_rows_.begin(), filling_rows_.end(), by_store_id<Row>);
  // The rows still in memory are one more run, read from there.
  std::vector<report_row_runs_detail::RunCursor<Row>> cursors(runs_.size() + 1);
  cursors.back().rows = std::move(filling_rows_);
  for (std::size_t run = 0; run < runs_.size(); ++run) {
    cursors[run].offset = runs_[run].offset;
    cursors[run].left = runs_[run].bytes;
    cursors[run].refill(file_);
  }
  // A min-heap of cursor numbers by their current row's store_id.
  const auto after = [&cursors](std::size_t a, std::size_t b) {
    return by_store_id(cursors[b].rows[cursors[b].at], cursors[a].rows[cursors[a].at]);
  };
  std::vector<std::size_t> heap;
  for (std::size_t run = 0; run < cursors.size(); ++run) {
    if (!cursors[run].rows.empty()) heap.push_back(run);
  }
  std::make_heap(heap.begin(), heap.end(), after);
  std::vector<Row> chunk;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    report_row_runs_detail::RunCursor<Row>& cursor = cursors[heap.back()];
    chunk.push_back(std::move(cursor.rows[cursor.at]));
    if (chunk.size() >= chunk_rows) {
      sink(std::move(chunk));
      chunk = {};
    }
    if (++cursor.at == cursor.rows.size() && !cursor.refill(file_)) {
      heap.pop_back();
      continue;
    }
    std::push_heap(heap.begin(), heap.end(), after);
  }
  if (!chunk.empty()) sink(std::move(chunk));
}

template class ReportRowRuns<StoreFigures>;
template class ReportRowRuns<PeriodFigures>;
