// The storage seam: what a command, or the server, asks of its database,
// whatever engine holds it: a SQLite file (the default) or PostgreSQL (a
// postgresql:// URL, docs/postgresql.md): loading inputs (imports and live
// ingests, alerts raised in the same transaction), reports and a store's
// page. The server's other records go through interfaces of their own
// (reports.hpp, alerts.hpp, tokens.hpp, webhooks.hpp, live_inputs.hpp...).
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "storage/import_summary.hpp"
#include "storage/ingest.hpp"
#include "storage/report_builder.hpp"
#include "storage/shared_connection.hpp"

class StoreEngine {
 public:
  virtual ~StoreEngine() = default;

  // Loads CSV text (header first) as `dataset` in one transaction (rules §1).
  virtual ImportSummary ingest_csv(Dataset dataset, const std::string& source, std::istream& csv,
                                   const Progress& progress, const IngestRules& rules) = 0;

  // Loads the rows of a JSON body (read_json_rows) the same way; a body
  // rejected whole writes nothing.
  virtual ImportSummary ingest_json_rows(Dataset dataset, const std::string& source,
                                         const JsonRows& rows, const IngestRules& rules) = 0;

  // Why a report with `options` cannot be answered from this database, for
  // the user (nullopt: it can).
  virtual std::optional<std::string> cannot_report(const ReportOptions& options) = 0;

  // stream_report's contract (report_builder.hpp).
  virtual ReportSummary stream_report(const ReportOptions& options, const ReportRowsSink& sink,
                                      ReportProgress* progress) = 0;

  // read_store_snapshot's contract (report_builder.hpp): a store's page and
  // days.
  virtual std::optional<StoreSnapshot> store_snapshot(const std::string& store_id,
                                                      std::optional<Instant> as_of,
                                                      std::optional<DatePeriod> dates,
                                                      const StatusRules* rules) = 0;
};

// Opens the database `db` names, bringing its schema up to date: PostgreSQL
// for a postgresql:// or postgres:// URL, else the SQLite file at that path
// (created if missing). Throws std::runtime_error saying where and why,
// never with a password.
std::unique_ptr<StoreEngine> open_store_engine(const std::string& db);

// The server's SQLite database through the connections it shares: writes
// through `writer`, cannot_report through `reader` (each call holds one
// while it runs).
std::unique_ptr<StoreEngine> sqlite_store_engine(SharedConnection& writer,
                                                 SharedConnection& reader);
