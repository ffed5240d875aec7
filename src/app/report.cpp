#include "app/report.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/store_engine.hpp"

std::vector<Flag> flags_for(ReportCommandOptions& o) {
  ReportOptions& report = o.report;
  Flag as_of{"--as-of",
             "UPTIME_AS_OF",
             "TS",
             "compute the report as of this UTC instant",
             "latest poll",
             [&report](const std::string& v) { report.as_of = parse_instant("--as-of", v); }};
  Flag interpolation{
      "--interpolation",
      "UPTIME_INTERPOLATION",
      "MODE",
      "status between polls: nearest or previous",
      interpolation_name(report.rules.interpolation),
      [&report](const std::string& v) {
        auto mode = parse_interpolation(v);
        if (!mode) {
          throw UsageError("--interpolation wants nearest or previous, got '" + v + "'");
        }
        report.rules.interpolation = *mode;
      }};
  return {
      db_flag(o.db_path, DbKinds::sqlite_or_postgresql),
      as_of,
      {"--from", nullptr, "TS",
       "report on the period [TS, --to) instead of the last hour, day and week; UTC", "",
       [&o](const std::string& v) { o.from = parse_instant("--from", v); }},
      {"--to", nullptr, "TS", "the end of the --from period (excluded), at most 400 days after it",
       "", [&o](const std::string& v) { o.to = parse_instant("--to", v); }},
      {"--from-date", nullptr, "DATE",
       "report on local dates DATE to --to-date (YYYY-MM-DD, both included, at most 400), each "
       "store in its own time zone",
       "", [&o](const std::string& v) { o.from_date = parse_date("--from-date", v); }},
      {"--to-date", nullptr, "DATE", "the last local date of the --from-date period", "",
       [&o](const std::string& v) { o.to_date = parse_date("--to-date", v); }},
      interpolation,
      max_gap_flag(report.rules.max_gap, ""),
      threads_flag(report.threads),
      {"--no-rollups", nullptr, nullptr,
       "answer a --from-date period from the polls alone, not from the stores' daily rollups "
       "(the figures are the same; docs/rollups.md)",
       "", [&report](const std::string&) { report.read_rollups = false; }},
      text_flag("--out", nullptr, "PATH", "the CSV file to write", o.out_path),
  };
}

void check_options(ReportCommandOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty())
    throw UsageError("report: unexpected argument '" + positionals[0] + "'");
  const PeriodChoice period =
      choose_period(options.from, options.to, options.from_date, options.to_date);
  if (!period.problem.empty()) {
    throw UsageError("period (--from/--to, --from-date/--to-date): " + period.problem);
  }
  options.report.period = period.period;
}

namespace {

// Where the CSV goes: standard output, or a file. A regular file (or a new
// one) is written under a temporary name beside it and renamed when whole,
// so a report that fails leaves no half-written file (and an older one in
// its place stays); anything else (/dev/null, a pipe) is written as it is:
// renaming onto it would replace it (as root, /dev/null itself).
class CsvOutput {
 public:
  explicit CsvOutput(const std::string& path) : path_(path) {
    if (path_.empty()) return;
    struct stat info;
    renamed_ = stat(path_.c_str(), &info) != 0 ? errno == ENOENT : S_ISREG(info.st_mode);
    written_ = renamed_ ? path_ + ".partial" : path_;
    file_ = std::fopen(written_.c_str(), "wb");
    if (!file_)
      throw std::runtime_error("cannot write '" + written_ + "': " + std::strerror(errno));
  }
  ~CsvOutput() {
    if (!file_) return;
    std::fclose(file_);
    if (renamed_) std::remove(written_.c_str());
  }
  CsvOutput(const CsvOutput&) = delete;
  CsvOutput& operator=(const CsvOutput&) = delete;

  void write(const std::string& text) {
    std::FILE* out = file_ ? file_ : stdout;
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
      throw std::runtime_error("cannot write '" + (file_ ? written_ : "standard output") +
                               "': " + std::strerror(errno));
    }
  }
  void finish() {
    if (!file_) {
      if (std::fflush(stdout) != 0) throw std::runtime_error("cannot write standard output");
      return;
    }
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed || (renamed_ && std::rename(written_.c_str(), path_.c_str()) != 0)) {
      const std::string problem = std::strerror(errno);
      if (renamed_) std::remove(written_.c_str());
      throw std::runtime_error("cannot write '" + path_ + "': " + problem);
    }
  }

 private:
  std::string path_;
  std::string written_;   // path_, or its temporary name
  bool renamed_ = false;  // written_ is renamed to path_ when whole
  std::FILE* file_ = nullptr;
};

// Says on standard error how far a report got, every few seconds while it
// runs: nothing for one that takes less.
class ProgressLines {
 public:
  explicit ProgressLines(const ReportProgress& progress)
      : thread_([this, &progress] {
          std::unique_lock<std::mutex> lock(mutex_);
          while (!done_cv_.wait_for(lock, kEvery, [this] { return done_; })) {
            std::fprintf(stderr, "report: %zu of %zu stores\n", progress.stores_done.load(),
                         progress.stores_total.load());
          }
        }) {}
  ~ProgressLines() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_one();
    thread_.join();
  }

 private:
  static constexpr std::chrono::seconds kEvery{5};
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the rest is made
};

}  // namespace

int run_report(const ReportCommandOptions& options) {
  if (!is_postgresql_url(options.db_path) && !std::filesystem::exists(options.db_path)) {
    throw std::runtime_error("no database at '" + options.db_path + "'");
  }
  const auto engine = open_store_engine(options.db_path);  // migrates the schema
  if (const auto problem = engine->cannot_report(options.report)) throw UsageError(*problem);
  CsvOutput out(options.out_path);
  const bool with_unknown = options.report.rules.max_gap.has_value();
  out.write(report_csv_header(options.report.period.has_value(), with_unknown));
  ReportProgress progress;
  ReportSummary report;
  {
    ProgressLines lines(progress);
    std::string text;
    report = engine->stream_report(
        options.report,
        [&](ReportRows&& rows) {
          text.clear();
          append_csv_lines(text, rows, with_unknown);
          out.write(text);
        },
        &progress);
  }
  out.finish();
  const std::string max_gap =
      report.rules.max_gap ? ", max_gap " + format_max_gap(*report.rules.max_gap) : "";
  std::fprintf(stderr, "report as of %s (%s%s): %zu stores, %zu without data\n",
               format_timestamp(report.as_of).c_str(),
               interpolation_name(report.rules.interpolation), max_gap.c_str(),
               report.stores_reported, report.stores_without_data);
  return 0;
}
