// The commands of the binary (serve, import, report, backup, generate, token), one
// file each: each wires the layers together for one use. Return the process
// exit code.
#pragma once

#include "cli.hpp"
#include "database.hpp"
#include "ingest.hpp"
#include "metrics.hpp"

int run_serve(const Options& options);
int run_import(const Options& options);
int run_report(const Options& options);
int run_backup(const Options& options);
int run_generate(const Options& options);
int run_token(const Options& options);

// Imports a folder, printing each file's summary (and progress for big files)
// to the log; counts the rows in `metrics` when given. True when every file
// loaded (import and serve's first start share it).
bool import_and_print(Database& db, const std::string& directory, const IngestRules& rules,
                      Metrics* metrics = nullptr);
