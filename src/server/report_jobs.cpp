#include "server/report_jobs.hpp"

#include <malloc.h>
#include <sys/random.h>

#include <cstdio>
#include <stdexcept>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "storage/store_engine.hpp"

namespace {

// How often outcomes the database refused are tried again.
constexpr std::chrono::seconds kRetryEvery{2};

}  // namespace

std::string new_report_id() {
  unsigned char bytes[18];
  std::size_t filled = 0;
  while (filled < sizeof bytes) {
    const ssize_t got = getrandom(bytes + filled, sizeof bytes - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed: no random source for report ids");
    }
    filled += static_cast<std::size_t>(got);
  }
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id;
  // 18 bytes = six groups of 3 bytes = 24 characters of 6 bits each.
  for (std::size_t i = 0; i < sizeof bytes; i += 3) {
    const unsigned group = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) id += alphabet[(group >> shift) & 63];
  }
  return id;
}

ReportJobs::ReportJobs(std::string db, unsigned threads, std::size_t queue_limit,
                       FinishedCallback on_finished)
    : db_(std::move(db)),
      threads_(threads),
      queue_limit_(queue_limit),
      on_finished_(std::move(on_finished)),
      reports_(open_reports(db_)) {
  reports_->fail_unfinished(wall_clock_now(), "interrupted by restart");
  worker_ = std::thread([this] { run_worker(); });
}

ReportJobs::~ReportJobs() {
  shutdown(std::chrono::milliseconds{0});
}

std::optional<std::string> ReportJobs::submit(const ReportOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_ || queue_.size() >= queue_limit_) return std::nullopt;
  Job job{new_report_id(), options};
  job.options.threads = threads_;
  reports_->insert(job.id, options, wall_clock_now());
  queue_.push_back(job);
  wake_.notify_one();
  return job.id;
}

std::optional<ReportState> ReportJobs::find(const std::string& id, ReportPart part) {
  std::optional<ReportState> state = reports_->find(id, part);
  if (state && (state->status == ReportStatus::running || state->status == ReportStatus::queued)) {
    std::lock_guard<std::mutex> lock(mutex_);
    overlay_unrecorded(*state, part);
    if (running_id_ == id && running_progress_) {
      state->stores_done = running_progress_->stores_done;
      state->stores_total = running_progress_->stores_total;
    }
    if (part != ReportPart::csv) state->csv.reset();
    if (part != ReportPart::rows) state->rows.reset();
  }
  return state;
}

void ReportJobs::set_hold(std::function<void()> hold) {
  std::lock_guard<std::mutex> lock(mutex_);
  hold_ = std::move(hold);
}

std::vector<ReportState> ReportJobs::list(std::size_t limit, std::optional<Instant> before) {
  std::vector<ReportState> states = reports_->list(limit, before);
  std::lock_guard<std::mutex> lock(mutex_);
  for (ReportState& state : states) overlay_unrecorded(state, ReportPart::summary);
  return states;
}

void ReportJobs::overlay_unrecorded(ReportState& state, ReportPart part) {
  const auto found = unrecorded_.find(state.id);
  if (found == unrecorded_.end()) return;
  const Outcome& outcome = found->second;
  state.status = outcome.status;
  state.finished = outcome.finished;
  state.error = outcome.error;
  if (outcome.status != ReportStatus::complete) return;
  state.as_of = outcome.summary.as_of;
  state.stores_reported = static_cast<std::int64_t>(outcome.summary.stores_reported);
  state.stores_without_data = static_cast<std::int64_t>(outcome.summary.stores_without_data);
  if (part == ReportPart::csv) {
    std::string csv(static_cast<std::size_t>(outcome.csv->size()), '\0');
    outcome.csv->read(0, csv.data(), csv.size());
    state.csv = std::move(csv);
  }
  if (part == ReportPart::rows) state.rows = reports_->rows(state.id, outcome.period);
}

void ReportJobs::write_outcome(const Outcome& outcome) {
  if (outcome.status == ReportStatus::complete) {
    reports_->complete(outcome.id, outcome.finished, outcome.summary, *outcome.csv);
  } else {
    reports_->fail(outcome.id, outcome.finished, outcome.error);
  }
}

void ReportJobs::record(Outcome outcome) {
  try {
    write_outcome(outcome);
  } catch (const std::exception& error) {
    const char* status = report_status_name(outcome.status);
    log_error("report " + outcome.id + ": could not record that it is " + status + " (" +
                  error.what() + "); kept in memory and tried again",
              {{"report_id", outcome.id}, {"status", status}, {"error", error.what()}});
    std::lock_guard<std::mutex> lock(mutex_);
    std::string id = outcome.id;
    unrecorded_[id] = std::move(outcome);
  }
}

void ReportJobs::retry_unrecorded() {
  std::map<std::string, Outcome> pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending = unrecorded_;
  }
  for (const auto& [id, outcome] : pending) {
    try {
      write_outcome(outcome);
    } catch (const std::exception&) {
      continue;  // still refused: the next round tries again
    }
    log_info("report " + id + ": " + report_status_name(outcome.status) + " recorded at last",
             {{"report_id", id}, {"status", report_status_name(outcome.status)}});
    std::lock_guard<std::mutex> lock(mutex_);
    unrecorded_.erase(id);
  }
}

std::size_t ReportJobs::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void ReportJobs::run_worker() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Outcomes the database refused are tried again every few seconds.
      while (!wake_.wait_for(lock, kRetryEvery, [this] { return stopping_ || !queue_.empty(); })) {
        if (unrecorded_.empty()) continue;
        lock.unlock();
        retry_unrecorded();
        lock.lock();
      }
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      running_id_ = job.id;
      running_progress_ = std::make_shared<ReportProgress>();
    }
    run_job(job);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_id_.clear();
      running_progress_.reset();
    }
    idle_.notify_all();
  }
}

void ReportJobs::run_job(const Job& job) {
  std::shared_ptr<ReportProgress> progress;
  std::function<void()> hold;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    progress = running_progress_;
    hold = hold_;
  }
  const Instant started = wall_clock_now();
  Outcome outcome;
  outcome.id = job.id;
  try {
    reports_->start(job.id, started);
    if (hold) hold();
    // The rows go to the table and the CSV to a temporary file as they
    // come: neither is ever whole in memory.
    outcome.period = job.options.period.has_value();
    const bool with_unknown = job.options.rules.max_gap.has_value();
    auto csv = std::make_shared<TempFile>(scratch_folder(db_), "a report's CSV");
    std::string lines = report_csv_header(outcome.period, with_unknown);
    csv->append(lines.data(), lines.size());
    outcome.summary = open_store_engine(db_)->stream_report(
        job.options,
        [&](ReportRows&& rows) {
          reports_->append_rows(job.id, rows);
          lines.clear();
          append_csv_lines(lines, rows, with_unknown);
          csv->append(lines.data(), lines.size());
        },
        progress.get());
    outcome.status = ReportStatus::complete;
    outcome.csv = std::move(csv);
    outcome.finished = wall_clock_now();
    const ReportSummary& report = outcome.summary;
    const double seconds = std::chrono::duration<double>(outcome.finished - started).count();
    char text[64];
    std::snprintf(text, sizeof text, "%.3f s", seconds);
    log_info("report " + job.id + ": Complete, " + std::to_string(report.stores_reported) +
                 " stores (" + std::to_string(report.stores_without_data) +
                 " without data), as_of " + format_timestamp(report.as_of) + ", " + text,
             {{"report_id", job.id},
              {"status", "Complete"},
              {"stores", report.stores_reported},
              {"stores_without_data", report.stores_without_data},
              {"as_of", format_timestamp(report.as_of)},
              {"interpolation", interpolation_name(report.rules.interpolation)},
              {"max_gap", report.rules.max_gap ? format_max_gap(*report.rules.max_gap) : "none"},
              {"seconds", seconds}});
  } catch (const std::exception& error) {
    log_error("report " + job.id + ": Failed: " + error.what(),
              {{"report_id", job.id}, {"status", "Failed"}, {"error", error.what()}});
    outcome.status = ReportStatus::failed;
    outcome.error = error.what();
    outcome.finished = wall_clock_now();
    outcome.summary = ReportSummary{};
    outcome.csv.reset();
  }
  const double seconds = std::chrono::duration<double>(outcome.finished - started).count();
  const ReportStatus status = outcome.status;
  record(std::move(outcome));
  // The report's rows and its workers' buffers are freed: give the memory
  // back, or the server stays at the size of its largest report.
  malloc_trim(0);
  if (on_finished_) on_finished_(status, seconds);
}

void ReportJobs::shutdown(std::chrono::milliseconds grace) {
  std::deque<Job> abandoned;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
    abandoned.swap(queue_);
    wake_.notify_all();
    if (!idle_.wait_for(lock, grace, [this] { return running_id_.empty(); })) {
      running_progress_->cancel = true;  // the build stops at its next chunk
    }
  }
  if (worker_.joinable()) worker_.join();
  retry_unrecorded();  // a last try; what stays unwritten is failed at the next start
  for (const Job& job : abandoned) {
    try {
      reports_->fail(job.id, wall_clock_now(), "server stopped before the report ran");
    } catch (const std::exception& error) {
      log_error("report " + job.id + ": could not record that it was abandoned: " + error.what());
    }
  }
}
