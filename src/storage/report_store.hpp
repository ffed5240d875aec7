// Triggered reports in the SQLite database (reports.hpp says what they are):
// the reports table, and the rows of report_rows.hpp.
#pragma once

#include <mutex>
#include <string>

#include "storage/database.hpp"
#include "storage/reports.hpp"

// A connection of its own for changes and single reads, each method one
// statement or transaction under its lock; a read-only one for pages, which
// never wait behind a running report's rows being appended; rows in chunks
// on a connection opened for the call. Throws std::runtime_error when SQLite
// fails.
class SqliteReports : public Reports {
 public:
  explicit SqliteReports(const std::string& db_path);

  void insert(const std::string& id, const ReportOptions& options, Instant created) override;
  void start(const std::string& id, Instant started) override;
  void append_rows(const std::string& id, const ReportRows& rows) override;
  void complete(const std::string& id, Instant finished, const ReportSummary& summary,
                const TempFile& csv) override;
  void fail(const std::string& id, Instant finished, const std::string& error) override;
  void fail_unfinished(Instant now, const std::string& error) override;
  ReportRows rows(const std::string& id, bool period) override;
  void rows_in_chunks(const std::string& id, bool period, std::size_t chunk_rows,
                      const std::function<void(ReportRows&&)>& each) override;
  ReportRowsPage rows_page(const std::string& id, bool period,
                           const ReportRowsQuery& query) override;
  std::optional<ReportState> find(const std::string& id, ReportPart part) override;
  std::vector<ReportState> list(std::size_t limit, std::optional<Instant> before) override;
  std::optional<std::string> newest_standard() override;

 private:
  std::mutex mutex_;
  Database db_;
  std::mutex reader_mutex_;
  Database reader_;
};
