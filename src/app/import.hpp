// `import`: load the CSV files of a folder, printing each file's counts.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "app/flags.hpp"
#include "server/metrics.hpp"
#include "storage/database.hpp"
#include "storage/ingest.hpp"

struct ImportOptions {
  std::string db_path = "uptime.db";
  std::string data_dir;
  std::chrono::seconds max_future{std::chrono::hours{1}};
  LogFormat log_format = LogFormat::text;
};

std::vector<Flag> flags_for(ImportOptions& options);
void check_options(ImportOptions& options, const std::vector<std::string>& positionals);
int run_import(const ImportOptions& options);

// The --data flag (import, and serve's first start).
Flag data_flag(std::string& data_dir);

// Imports a folder, printing each file's summary (and progress for big files)
// to the log; counts the rows in `metrics` when given. True when every file
// loaded (import and serve's first start share it).
bool import_and_print(Database& db, const std::string& directory, const IngestRules& rules,
                      Metrics* metrics = nullptr);
// The same through any engine's ingest (storage/store_engine.hpp).
bool import_and_print(const CsvIngest& ingest, const std::string& directory,
                      Metrics* metrics = nullptr);
