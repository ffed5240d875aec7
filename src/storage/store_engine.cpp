#include "storage/store_engine.hpp"

#include "storage/kept_polls.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_import.hpp"
#include "storage/postgresql/pg_report.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

class SqliteEngine : public StoreEngine {
 public:
  explicit SqliteEngine(const std::string& path) : path_(path), db_(path) {}

  ImportSummary ingest_csv(Dataset dataset, const std::string& source, std::istream& csv,
                           const Progress& progress, const IngestRules& rules) override {
    return ::ingest_csv(db_, dataset, source, csv, progress, rules);
  }

  std::optional<std::string> cannot_report(const ReportOptions& options) override {
    return needs_deleted_polls(db_, options);
  }

  ReportSummary stream_report(const ReportOptions& options, const ReportRowsSink& sink,
                              ReportProgress* progress) override {
    return ::stream_report(path_, options, sink, progress);
  }

 private:
  std::string path_;
  Database db_;
};

class PostgresqlEngine : public StoreEngine {
 public:
  explicit PostgresqlEngine(const std::string& url) : url_(url), db_(url) {
    migrate_postgresql(db_);
  }

  ImportSummary ingest_csv(Dataset dataset, const std::string& source, std::istream& csv,
                           const Progress& progress, const IngestRules& rules) override {
    return pg_ingest_csv(db_, dataset, source, csv, progress, rules);
  }

  // Every poll is kept: no retention on PostgreSQL yet.
  std::optional<std::string> cannot_report(const ReportOptions&) override { return std::nullopt; }

  ReportSummary stream_report(const ReportOptions& options, const ReportRowsSink& sink,
                              ReportProgress* progress) override {
    return pg_stream_report(url_, options, sink, progress);
  }

 private:
  std::string url_;
  PgConnection db_;
};

}  // namespace

std::unique_ptr<StoreEngine> open_store_engine(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PostgresqlEngine>(db);
  return std::make_unique<SqliteEngine>(db);
}
