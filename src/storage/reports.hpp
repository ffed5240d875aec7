// Triggered reports wherever they are kept: what a report asked for, how far
// it got, its rows and, once complete, its CSV. The server's report queue
// (server/report_jobs.hpp), the landing report and the API's pages of rows go
// through `Reports`; SQLite (SqliteReports, report_store.hpp) and PostgreSQL
// (PgReports, postgresql/pg_reports.hpp) are behind it, the same answers from
// both. Statuses are an enum everywhere but at the SQL and JSON edges, where
// report_status_name() writes them as the API does (README).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"
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
  // Likewise: the rows behind the CSV; unset for a report finished before
  // rows were kept (sql/013_report_rows.sql).
  std::optional<ReportRows> rows;
  // While running: stores done out of total (not stored).
  std::size_t stores_done = 0;
  std::size_t stores_total = 0;
};

// What find() reads besides a report's status and times.
enum class ReportPart { summary, csv, rows };

// The columns a page of rows may be sorted by, as answers name them.
const std::vector<const char*>& report_sort_names(bool period);
// The column of report_window_rows or report_period_rows (as `r`) a sort
// name stands for: text for r.store_id and r.now_state, else an integer;
// nullptr for "uptime_percent", no column but uptime over uptime and
// downtime, which each engine writes in its own SQL. Throws
// std::invalid_argument for a name not in report_sort_names.
const char* report_sort_column(bool period, const std::string& name);

struct ReportRowsQuery {
  std::size_t offset = 0;
  std::size_t limit = 100;
  std::string sort = "store_id";  // one of report_sort_names
  bool descending = false;        // ties go by store_id, the same way
  std::string contains;           // store_id or the store's name contains this; empty: all
  bool only = false;              // only the stores of only_json (an owner's)
  std::string only_json;          // their ids as a JSON array
};
struct ReportRowsPage {
  std::int64_t total = 0;  // rows that match, over all pages
  ReportRows rows;
};

// Every method is one statement or one transaction: a running report's rows
// are appended a chunk per transaction, so an ingest waits for one chunk at
// most, never for a whole report. Throws std::runtime_error (saying where)
// when the database fails; std::invalid_argument for a sort not in
// report_sort_names.
class Reports {
 public:
  virtual ~Reports() = default;

  virtual void insert(const std::string& id, const ReportOptions& options, Instant created) = 0;
  virtual void start(const std::string& id, Instant started) = 0;
  // Some of a running report's rows, as stream_report gives them. Read only
  // once the report is Complete.
  virtual void append_rows(const std::string& id, const ReportRows& rows) = 0;
  // `csv` holds the report's CSV (report_csv of the rows appended), copied
  // into the reports table in the transaction that marks it Complete.
  virtual void complete(const std::string& id, Instant finished, const ReportSummary& summary,
                        const TempFile& csv) = 0;
  // Marks it Failed and deletes the rows appended, in one transaction.
  virtual void fail(const std::string& id, Instant finished, const std::string& error) = 0;
  // Reports a stopped process left Queued or Running can never finish: Failed,
  // without the rows they had appended.
  virtual void fail_unfinished(Instant now, const std::string& error) = 0;

  // The rows appended for a report, whatever its status (one whose end the
  // database refused so far, server/report_jobs.hpp), in store_id order:
  // period rows when `period`, else window rows.
  virtual ReportRows rows(const std::string& id, bool period) = 0;
  // The same, at most `chunk_rows` at a time to `each`, read from one
  // snapshot: the rows of a million stores are never in memory at once.
  virtual void rows_in_chunks(const std::string& id, bool period, std::size_t chunk_rows,
                              const std::function<void(ReportRows&&)>& each) = 0;
  // One page of a report's rows, sorted and filtered by the database: its
  // cost grows with the report's rows only through the sort.
  virtual ReportRowsPage rows_page(const std::string& id, bool period,
                                   const ReportRowsQuery& query) = 0;

  // nullopt for an unknown id. The CSV or the rows are read only when asked for.
  virtual std::optional<ReportState> find(const std::string& id, ReportPart part) = 0;
  // Newest first: at most `limit`, created before `before` when given.
  virtual std::vector<ReportState> list(std::size_t limit, std::optional<Instant> before) = 0;
  // The newest complete standard report's id (the landing report); nullopt: none.
  virtual std::optional<std::string> newest_standard() = 0;
};

// The reports of the database `db` names: PostgreSQL for a postgresql:// or
// postgres:// URL, else the SQLite file at that path; its schema brought up
// to date.
std::unique_ptr<Reports> open_reports(const std::string& db);

// Reports finished before rows were kept (sql/013_report_rows.sql) have none
// though they reported stores: whether `rows`, read for such a report, are
// its rows.
bool rows_belong_to(const ReportState& state, const ReportRows& rows);
