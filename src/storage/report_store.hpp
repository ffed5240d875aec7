// The reports table: what a triggered report asked for, how far it got, and
// its CSV once complete. Statuses are an enum everywhere but at the SQL and
// JSON edges, where report_status_name() writes them as the API does (README).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/report_builder.hpp"
#include "storage/temp_file.hpp"

enum class ReportStatus { queued, running, complete, failed };

// "Queued", "Running", "Complete", "Failed": the text in the table and in answers.
const char* report_status_name(ReportStatus status);
std::optional<ReportStatus> parse_report_status(std::string_view name);

struct ReportState {
  std::string id;
  ReportStatus status = ReportStatus::queued;
  std::optional<Instant> requested_as_of;
  StatusRules rules;             // interpolation and max_gap
  std::optional<Period> period;  // nullopt: the three windows
  bool standard = false;         // as ReportOptions::standard
  Instant created;               // wall clock
  std::optional<Instant> started;
  std::optional<Instant> finished;
  std::optional<Instant> as_of;  // the `now` it was computed for
  std::optional<std::int64_t> stores_reported;
  std::optional<std::int64_t> stores_without_data;
  std::string error;
  std::optional<std::string> csv;  // when asked for and Complete
  // Likewise: the rows behind the CSV (report_rows.hpp); unset for a report
  // finished before rows were kept (sql/013_report_rows.sql).
  std::optional<ReportRows> rows;
  // While running: stores done out of total (not stored).
  std::size_t stores_done = 0;
  std::size_t stores_total = 0;
};

// What find() reads besides a report's status and times.
enum class ReportPart { summary, csv, rows };

// One connection of its own; every method is one statement (or
// transaction) under its lock. Throws std::runtime_error when SQLite fails.
class ReportStore {
 public:
  explicit ReportStore(const std::string& db_path);

  void insert(const std::string& id, const ReportOptions& options, Instant created);
  void start(const std::string& id, Instant started);
  // Some of a running report's rows, as stream_report gives them: each call
  // one short transaction, so an ingest waits for one chunk at most, never
  // for a whole report. Read only once the report is Complete.
  void append_rows(const std::string& id, const ReportRows& rows);
  // `csv` holds the report's CSV (report_csv of the rows appended), copied
  // into the reports table in the transaction that marks it Complete.
  void complete(const std::string& id, Instant finished, const ReportSummary& summary,
                const TempFile& csv);
  // Marks it Failed and deletes the rows appended, in one transaction.
  void fail(const std::string& id, Instant finished, const std::string& error);
  // Reports a stopped process left Queued or Running can never finish: Failed,
  // without the rows they had appended.
  void fail_unfinished(Instant now, const std::string& error);
  // The rows appended for a report, whatever its status (one whose end the
  // database refused so far, server/report_jobs.hpp).
  ReportRows rows(const std::string& id, bool period);

  // nullopt for an unknown id. The CSV or the rows are read only when asked for.
  std::optional<ReportState> find(const std::string& id, ReportPart part);
  // Newest first: at most `limit`, created before `before` when given.
  std::vector<ReportState> list(std::size_t limit, std::optional<Instant> before);
  // The newest complete standard report's id (the landing report); nullopt: none.
  std::optional<std::string> newest_standard();

 private:
  std::mutex mutex_;
  Database db_;
};
