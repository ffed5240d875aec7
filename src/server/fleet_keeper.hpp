// Keeps the live fleet (live_fleet.hpp) current in the background: the
// clock's tick (openings, closings, silence), the landing report's figures
// once a newer standard report completes, and that standard report itself,
// triggered every `standard_every` while new polls arrive (docs/rules.md §10)
// by the server holding the workers' lease (several may share a database).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/periodic_thread.hpp"
#include "server/live_fleet.hpp"
#include "server/report_jobs.hpp"
#include "storage/worker_lease.hpp"

struct FleetSettings {
  // How often the clock re-evaluates the states the time alone changes.
  std::chrono::milliseconds tick{std::chrono::seconds{5}};
  // How often a standard report is made while new polls arrive (and at
  // start when there is none); 0: never by itself.
  std::chrono::seconds standard_every{std::chrono::minutes{15}};
  // The server's default max_gap: a standard report has it.
  std::optional<std::chrono::seconds> default_max_gap;
};

// The options of a standard report: the three windows as of the newest poll,
// the default interpolation and the server's default max_gap.
ReportOptions standard_report_options(std::optional<std::chrono::seconds> default_max_gap);

// Whether a requested report is standard: those options, with an as_of (if
// any) not before the newest poll. Anything else is custom.
bool is_standard(const ReportOptions& options, std::optional<std::chrono::seconds> default_max_gap,
                 std::optional<Instant> newest_poll);

class FleetKeeper {
 public:
  FleetKeeper(std::string db_path, LiveFleet& fleet, ReportJobs& jobs, WorkerLease& lease,
              FleetSettings settings);

  // The next step runs now (after a report completes).
  void wake() { thread_.wake(); }

 private:
  void step();
  void follow_landing();
  void refresh_standard(Instant clock);
  // Each store's figures over the week before the landing report's, when
  // any store's data reaches back that far (for GET /fleet's trend).
  void measure_week_before(const std::string& report_id, Instant as_of);

  std::string db_path_;
  LiveFleet& fleet_;
  ReportJobs& jobs_;
  WorkerLease& lease_;  // asked before triggering a standard report
  FleetSettings settings_;
  std::optional<std::string> submitted_;  // the standard report this keeper triggered last
  std::optional<Instant> submitted_at_;   // wall clock
  std::optional<Instant> submitted_for_;  // the newest poll then
  PeriodicThread thread_;
};
