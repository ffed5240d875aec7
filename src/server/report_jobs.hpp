// The life of a triggered report: queued, run on a worker thread apart from
// the HTTP threads, and kept with its options, timings, status and CSV in the
// reports table (storage/reports.hpp: SQLite's or PostgreSQL's), so finished
// reports outlive the process.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/report_builder.hpp"
#include "storage/reports.hpp"

class ReportJobs {
 public:
  // Called on the worker thread when a report ends (complete or failed), with
  // the seconds it ran.
  using FinishedCallback = std::function<void(ReportStatus status, double seconds)>;

  // Marks reports a previous process left Queued or Running as Failed, then
  // starts the worker. `db` is a SQLite path or a PostgreSQL URL (as
  // open_store_engine takes it); `threads` is per report; `queue_limit` bounds
  // waiting reports.
  ReportJobs(std::string db, unsigned threads, std::size_t queue_limit,
             FinishedCallback on_finished = {});
  ~ReportJobs();

  ReportJobs(const ReportJobs&) = delete;
  ReportJobs& operator=(const ReportJobs&) = delete;

  // Queues a report and returns its new id, or nullopt when the queue is full.
  std::optional<std::string> submit(const ReportOptions& options);

  // nullopt for an unknown id. The CSV or the rows are read only when asked for.
  std::optional<ReportState> find(const std::string& id, ReportPart part);

  // Newest first: at most `limit`, created before `before` when given.
  std::vector<ReportState> list(std::size_t limit, std::optional<Instant> before);
  // The landing report: the newest complete standard one.
  std::optional<std::string> newest_standard() { return reports_->newest_standard(); }
  // The reports table itself: rows of complete reports, in pages or chunks.
  Reports& reports() { return *reports_; }

  // Stops taking work; lets the running report finish within `grace`, then
  // cancels it. Everything left is marked Failed. Idempotent.
  void shutdown(std::chrono::milliseconds grace);

  // Called on the worker once a report has started, before it is computed
  // (a test's hold, common/test_hold.hpp). Set before the first report.
  void set_hold(std::function<void()> hold);

  // Reports waiting, and whether one is running (for health and tests).
  std::size_t queued() const;

 private:
  struct Job {
    std::string id;
    ReportOptions options;
  };

  // How a report ended, as it is written to the reports table.
  struct Outcome {
    std::string id;
    ReportStatus status = ReportStatus::failed;  // complete or failed
    Instant finished;
    bool period = false;            // its rows are period rows
    ReportSummary summary;          // when complete
    std::shared_ptr<TempFile> csv;  // when complete: its CSV, until it is in the table
    std::string error;
  };

  void run_worker();
  void run_job(const Job& job);
  // Writes the outcome; if the database refuses (a full disk), keeps it in
  // memory, answers from there, and tries again every few seconds: a report
  // is never left Running because its end could not be written.
  void record(Outcome outcome);
  void write_outcome(const Outcome& outcome);
  void retry_unrecorded();
  // With mutex_ held: the outcome not yet written over the table's state,
  // with its CSV or rows when `part` asks for them.
  void overlay_unrecorded(ReportState& state, ReportPart part);

  std::string db_;
  unsigned threads_;
  std::size_t queue_limit_;
  FinishedCallback on_finished_;
  std::function<void()> hold_;  // guarded by mutex_
  std::unique_ptr<Reports> reports_;

  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  std::string running_id_;
  std::shared_ptr<ReportProgress> running_progress_;
  std::map<std::string, Outcome> unrecorded_;  // outcomes the database refused so far
  bool stopping_ = false;

  std::thread worker_;
};

// A new report id: 144 random bits from the kernel, base64url (24 characters).
std::string new_report_id();
