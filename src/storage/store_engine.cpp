#include "storage/store_engine.hpp"

#include <mutex>

#include "storage/kept_polls.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_import.hpp"
#include "storage/postgresql/pg_report.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

class SqliteEngine : public StoreEngine {
 public:
  explicit SqliteEngine(const std::string& path)
      : own_(std::make_unique<SharedConnection>(path)), db_(*own_), reader_(*own_) {}
  SqliteEngine(SharedConnection& writer, SharedConnection& reader) : db_(writer), reader_(reader) {}

  ImportSummary ingest_csv(Dataset dataset, const std::string& source, std::istream& csv,
                           const Progress& progress, const IngestRules& rules) override {
    return ::ingest_csv(db_.lock().db(), dataset, source, csv, progress, rules);
  }

  ImportSummary ingest_json_rows(Dataset dataset, const std::string& source, const JsonRows& rows,
                                 const IngestRules& rules) override {
    return ::ingest_json_rows(db_.lock().db(), dataset, source, rows, rules);
  }

  std::optional<std::string> cannot_report(const ReportOptions& options) override {
    return needs_deleted_polls(reader_.lock().db(), options);
  }

  ReportSummary stream_report(const ReportOptions& options, const ReportRowsSink& sink,
                              ReportProgress* progress) override {
    return ::stream_report(db_.path(), options, sink, progress);
  }

  std::optional<StoreSnapshot> store_snapshot(const std::string& store_id,
                                              std::optional<Instant> as_of,
                                              std::optional<DatePeriod> dates,
                                              const StatusRules* rules) override {
    return read_store_snapshot(db_.path(), store_id, as_of, dates, rules);
  }

 private:
  std::unique_ptr<SharedConnection> own_;  // unset when shared
  SharedConnection& db_;                   // writes
  SharedConnection& reader_;               // reads that must not wait behind a write
};

// Loads one at a time on one connection (imports take a lock of
// PostgreSQL's anyway: pg_import.hpp); store pages read on another.
class PostgresqlEngine : public StoreEngine {
 public:
  explicit PostgresqlEngine(const std::string& url) : url_(url), db_(url) {
    migrate_postgresql(db_);
  }

  ImportSummary ingest_csv(Dataset dataset, const std::string& source, std::istream& csv,
                           const Progress& progress, const IngestRules& rules) override {
    std::lock_guard<std::mutex> lock(db_mutex_);
    return pg_ingest_csv(db_, dataset, source, csv, progress, rules);
  }

  ImportSummary ingest_json_rows(Dataset dataset, const std::string& source, const JsonRows& rows,
                                 const IngestRules& rules) override {
    return ::ingest_json_rows(rows, dataset, source, [&](const RowSource& row_source) {
      std::lock_guard<std::mutex> lock(db_mutex_);
      return pg_ingest_rows(db_, dataset, source, row_source, rules);
    });
  }

  // Every poll is kept: no retention on PostgreSQL yet.
  std::optional<std::string> cannot_report(const ReportOptions&) override { return std::nullopt; }

  ReportSummary stream_report(const ReportOptions& options, const ReportRowsSink& sink,
                              ReportProgress* progress) override {
    return pg_stream_report(url_, options, sink, progress);
  }

  std::optional<StoreSnapshot> store_snapshot(const std::string& store_id,
                                              std::optional<Instant> as_of,
                                              std::optional<DatePeriod> dates,
                                              const StatusRules* rules) override {
    std::lock_guard<std::mutex> lock(reader_mutex_);
    if (!reader_) reader_ = std::make_unique<PgConnection>(url_);  // a server's, not a command's
    return pg_read_store_snapshot(*reader_, store_id, as_of, dates, rules);
  }

 private:
  std::string url_;
  std::mutex db_mutex_;
  PgConnection db_;
  std::mutex reader_mutex_;
  std::unique_ptr<PgConnection> reader_;
};

}  // namespace

std::unique_ptr<StoreEngine> open_store_engine(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PostgresqlEngine>(db);
  return std::make_unique<SqliteEngine>(db);
}

std::unique_ptr<StoreEngine> sqlite_store_engine(SharedConnection& writer,
                                                 SharedConnection& reader) {
  return std::make_unique<SqliteEngine>(writer, reader);
}
