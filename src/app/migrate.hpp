// `migrate`: a SQLite database copied into an empty PostgreSQL one, counts
// checked (storage/postgresql/pg_migrate.hpp, docs/postgresql.md).
#pragma once

#include <string>
#include <vector>

#include "app/flags.hpp"

struct MigrateOptions {
  std::string from;  // a SQLite file; must exist
  std::string to;    // a PostgreSQL URL
  LogFormat log_format = LogFormat::text;
};

std::vector<Flag> flags_for(MigrateOptions& options);
void check_options(MigrateOptions& options, const std::vector<std::string>& positionals);
int run_migrate(const MigrateOptions& options);
