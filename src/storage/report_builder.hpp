// Building a report from the database: selects each store's polls, hours and
// zone inside one consistent snapshot and computes the rows in parallel.
// The same path serves the `report` command and the server.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "core/day_rollup.hpp"
#include "core/report.hpp"

struct ReportOptions {
  std::optional<Instant> as_of;  // nullopt: the latest poll in the database
  StatusRules rules;             // interpolation and max_gap
  unsigned threads = 0;          // 0: one per core
  std::optional<Period> period;  // nullopt: the three windows of rules §7
  // A standard report (docs/rules.md §10): the three windows with the
  // server's default options as of the newest poll. Only these become the
  // landing view; whoever submits says so (the server's standard_report).
  bool standard = false;
  // With the rules the rollups were made with, a period of local dates reads
  // the dates' rollups and polls only for the dates not rolled up, and the
  // three windows read the whole dates of each store's week from rollups
  // (docs/rollups.md, core/week_from_rollups.hpp); false: polls for every
  // date (the figures are equal).
  bool read_rollups = true;
  // Rows sorted in memory before they go to a temporary file beside the
  // database (report_row_runs.hpp): about 150 bytes each.
  std::size_t run_rows = 50000;
  // PostgreSQL: the store keys in a part of the report another server may
  // compute (postgresql/pg_report_parts.hpp); smaller in tests.
  std::int64_t part_keys = 1024;
};

// Filled in while a report builds, for progress display; setting `cancel`
// makes the build stop early with an error.
struct ReportProgress {
  std::atomic<std::size_t> stores_done{0};
  std::atomic<std::size_t> stores_total{0};
  std::atomic<bool> cancel{false};
};

// One store's data exactly as a report as of `as_of` reads it.
struct StoreSnapshot {
  StoreInput input;
  std::string zone_name;  // as stored; empty: none given (the default zone)
  // The given as_of, else the latest poll in the database; nullopt when
  // there is none (and then no polls are read).
  std::optional<Instant> as_of;
  // The store's first poll, UTC (whatever as_of); nullopt: none yet.
  std::optional<Instant> first_poll;
  // The rollups of `dates` read instead of their polls (docs/rollups.md):
  // `input.polls` then covers only the other dates.
  std::vector<DayRollup> rolled_up;
};

// Reads the store with this id (nullopt when there is none) in one snapshot:
// the data for its week before as_of, or for local dates `dates`; with
// `rules` the rollups were made with, the rolled-up dates' rollups instead
// of their polls. Throws std::runtime_error when the database cannot be read.
std::optional<StoreSnapshot> read_store_snapshot(const std::string& db_path,
                                                 const std::string& store_id,
                                                 std::optional<Instant> as_of,
                                                 std::optional<DatePeriod> dates = std::nullopt,
                                                 const StatusRules* rules = nullptr);

// What a report is besides its rows.
struct ReportSummary {
  Instant as_of;
  StatusRules rules;
  std::optional<Period> period;
  std::size_t stores_reported = 0;
  std::size_t stores_without_data = 0;
};

// Receives a report's rows in the report's order (by store_id), a few
// thousand at a time, of the report's kind (PeriodFigures with a period).
using ReportRowsSink = std::function<void(ReportRows&& chunk)>;

// Computes the report on worker threads and gives its rows to `sink` as it
// goes, in memory bounded whatever the fleet. Throws std::runtime_error when
// the database cannot be read, when no as_of is given and the database holds
// no poll to take `now` from, or when cancelled; whatever `sink` throws.
ReportSummary stream_report(const std::string& db_path, const ReportOptions& options,
                            const ReportRowsSink& sink, ReportProgress* progress = nullptr);

// The same, every row in memory.
Report build_report(const std::string& db_path, const ReportOptions& options,
                    ReportProgress* progress = nullptr);
