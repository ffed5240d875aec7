// Building a report from the database: selects each store's polls, hours and
// zone inside one consistent snapshot and computes the rows in parallel.
// The same path serves the `report` command and the server.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "report.hpp"

struct ReportOptions {
  std::optional<Instant> as_of;  // nullopt: the latest poll in the database
  Interpolation interpolation = Interpolation::nearest;
  unsigned threads = 0;  // 0: one per core
};

// Filled in while a report builds, for progress display; setting `cancel`
// makes the build stop early with an error.
struct ReportProgress {
  std::atomic<std::size_t> stores_done{0};
  std::atomic<std::size_t> stores_total{0};
  std::atomic<bool> cancel{false};
};

// Throws std::runtime_error when the database cannot be read, when no as_of
// is given and the database holds no poll to take `now` from, or when cancelled.
Report build_report(const std::string& db_path, const ReportOptions& options,
                    ReportProgress* progress = nullptr);
