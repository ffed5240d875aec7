// The storage seam: what a command asks of its database, whatever engine
// holds it: a SQLite file (the default) or PostgreSQL (a postgresql:// URL,
// docs/postgresql.md). Imports and reports go through it; the server's other
// parts (its live state, reports table, tokens, webhooks, alerts) still use
// SQLite directly and move behind it next.
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "storage/import_summary.hpp"
#include "storage/ingest.hpp"
#include "storage/report_builder.hpp"

class StoreEngine {
 public:
  virtual ~StoreEngine() = default;

  // Loads CSV text (header first) as `dataset` in one transaction (rules §1).
  virtual ImportSummary ingest_csv(Dataset dataset, const std::string& source, std::istream& csv,
                                   const Progress& progress, const IngestRules& rules) = 0;

  // Why a report with `options` cannot be answered from this database, for
  // the user (nullopt: it can).
  virtual std::optional<std::string> cannot_report(const ReportOptions& options) = 0;

  // stream_report's contract (report_builder.hpp).
  virtual ReportSummary stream_report(const ReportOptions& options, const ReportRowsSink& sink,
                                      ReportProgress* progress) = 0;
};

// Opens the database `db` names, bringing its schema up to date: PostgreSQL
// for a postgresql:// or postgres:// URL, else the SQLite file at that path
// (created if missing). Throws std::runtime_error saying where and why,
// never with a password.
std::unique_ptr<StoreEngine> open_store_engine(const std::string& db);
