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

// Store keys [begin, end): what a worker computes at a time.
struct KeyRange {
  std::int64_t begin;
  std::int64_t end;
};

// Where a report's workers take their ranges of keys from, any thread.
class KeyRanges {
 public:
  virtual ~KeyRanges() = default;
  // The next range for `worker`; nullopt when none is left.
  virtual std::optional<KeyRange> take(std::size_t worker) = 0;
  // `worker` computed the range it took last: `stores` stores.
  virtual void done(std::size_t worker, std::size_t stores) = 0;
  // `worker` failed (the report fails): it takes no more.
  virtual void failed(std::size_t /*worker*/) {}
};

// The keys 1..last_key in ranges of kReportChunkKeys, taken in turn: a report
// computed by one process alone.
class KeyChunks : public KeyRanges {
 public:
  explicit KeyChunks(std::int64_t last_key) : last_key_(last_key) {}
  std::optional<KeyRange> take(std::size_t) override {
    const std::int64_t begin = 1 + next_.fetch_add(1) * kReportChunkKeys;
    if (begin > last_key_) return std::nullopt;
    return KeyRange{begin, begin + kReportChunkKeys};
  }
  void done(std::size_t, std::size_t) override {}

 private:
  std::int64_t last_key_;
  std::atomic<std::int64_t> next_{0};
};

// Adds rows computed elsewhere to a report's (PostgreSQL: by other servers).
template <class Row>
using AddRows = std::function<void(std::vector<Row>& rows)>;

// Computes the rows of the stores in the ranges `ranges` gives on `workers`
// threads (the caller's among them): `compute_chunk(worker, begin, end,
// rows)` appends the rows of the stores with keys in [begin, end) and returns
// how many stores it read. Then `after_workers(add_rows)` (an engine ends its
// snapshot there, and may add rows computed elsewhere), and the rows reach
// `sink` by store_id; runs past the first spill to a temporary file in
// `spill_folder`. Returns the rows given. Rethrows what a worker threw.
template <class Row>
std::size_t compute_report_rows(
    std::size_t workers, KeyRanges& ranges, const std::string& spill_folder, std::size_t run_rows,
    const std::function<std::size_t(std::size_t worker, std::int64_t begin, std::int64_t end,
                                    std::vector<Row>& rows)>& compute_chunk,
    const std::function<void(const AddRows<Row>& add_rows)>& after_workers,
    const ReportRowsSink& sink, ReportProgress* progress) {
  ReportRowRuns<Row> runs(spill_folder, run_rows);
  std::vector<std::exception_ptr> errors(workers);
  auto work = [&](std::size_t worker) {
    try {
      std::vector<Row> rows;
      for (;;) {
        if (progress && progress->cancel) throw std::runtime_error("report cancelled");
        const std::optional<KeyRange> range = ranges.take(worker);
        if (!range) break;
        const std::size_t stores = compute_chunk(worker, range->begin, range->end, rows);
        runs.add(rows);
        ranges.done(worker, stores);
        if (progress) progress->stores_done += stores;
      }
    } catch (...) {
      errors[worker] = std::current_exception();
      ranges.failed(worker);
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t worker = 1; worker < workers; ++worker) pool.emplace_back(work, worker);
  work(0);
  for (auto& thread : pool) thread.join();
  after_workers([&runs](std::vector<Row>& rows) { runs.add(rows); });
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  constexpr std::size_t kSinkRows = 4096;
  runs.merge(kSinkRows, [&sink](std::vector<Row>&& chunk) { sink(ReportRows{std::move(chunk)}); });
  return runs.rows();
}
