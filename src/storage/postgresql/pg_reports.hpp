// Triggered reports in PostgreSQL (reports.hpp says what they are), on a
// connection of their own, one call at a time; rows read in chunks on a
// connection opened for the call, as SQLite's are.
#pragma once

#include <mutex>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/reports.hpp"

class PgReports : public Reports {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgReports(const std::string& url);

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
  std::string url_;
  std::mutex mutex_;
  PgConnection db_;
};
