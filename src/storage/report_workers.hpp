// The part of a report every engine shares: worker threads take the stores in
// ranges of keys (each one's data side by side in the tables), compute their
// rows, and the rows go through runs sorted by store_id (report_row_runs.hpp)
// to the sink a few thousand at a time, in memory bounded whatever the fleet.
// The engine says how a worker computes a range (report_builder.cpp for
// SQLite, postgresql/pg_report.cpp).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "storage/report_builder.hpp"
#include "storage/report_row_runs.hpp"

// Stores a worker takes at a time: ranges of this many keys.
constexpr std::int64_t kReportChunkKeys = 256;

// A store's row of a report from what was read of it: its period's figures
// (options.period set), else the three windows'; nullopt when it has no data.
template <class Row>
std::optional<Row> compute_input_row(const StoreInput& input, const ReportOptions& options,
                                     Instant as_of) {
  if constexpr (std::is_same_v<Row, PeriodFigures>) {
    return compute_period_figures(input, as_of, options.rules, *options.period);
  } else {
    return compute_store_figures(input, as_of, options.rules);
  }
}

// The workers a report runs on: as many as asked, else one per core.
inline unsigned report_threads(const ReportOptions& options) {
  return std::max(1u, options.threads ? options.threads : std::thread::hardware_concurrency());
}

// Computes the rows of the stores with keys 1..last_key on `workers` threads
// (the caller's among them): `compute_chunk(worker, begin, end, rows)` appends
// the rows of the stores with keys in [begin, end) and returns how many stores
// it read. Then `after_workers()` (an engine ends its snapshot there), and the
// rows reach `sink` by store_id; runs past the first spill to a temporary
// file in `spill_folder`. Returns the rows given. Rethrows what a worker threw.
template <class Row>
std::size_t compute_report_rows(
    std::size_t workers, std::int64_t last_key, const std::string& spill_folder,
    std::size_t run_rows,
    const std::function<std::size_t(std::size_t worker, std::int64_t begin, std::int64_t end,
                                    std::vector<Row>& rows)>& compute_chunk,
    const std::function<void()>& after_workers, const ReportRowsSink& sink,
    ReportProgress* progress) {
  ReportRowRuns<Row> runs(spill_folder, run_rows);
  std::atomic<std::int64_t> next_chunk{0};
  std::vector<std::exception_ptr> errors(workers);
  auto work = [&](std::size_t worker) {
    try {
      std::vector<Row> rows;
      for (;;) {
        if (progress && progress->cancel) throw std::runtime_error("report cancelled");
        const std::int64_t begin = 1 + next_chunk.fetch_add(1) * kReportChunkKeys;
        if (begin > last_key) break;
        const std::size_t stores = compute_chunk(worker, begin, begin + kReportChunkKeys, rows);
        runs.add(rows);
        if (progress) progress->stores_done += stores;
      }
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t worker = 1; worker < workers; ++worker) pool.emplace_back(work, worker);
  work(0);
  for (auto& thread : pool) thread.join();
  after_workers();
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  constexpr std::size_t kSinkRows = 4096;
  runs.merge(kSinkRows, [&sink](std::vector<Row>&& chunk) { sink(ReportRows{std::move(chunk)}); });
  return runs.rows();
}
