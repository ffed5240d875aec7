// `backup`: a consistent copy of the database, safe while a server runs.
#pragma once

#include <string>
#include <vector>

#include "app/flags.hpp"

struct BackupOptions {
  std::string db_path = "uptime.db";
  std::string out_path;  // the copy to write; must not exist
  LogFormat log_format = LogFormat::text;
};

std::vector<Flag> flags_for(BackupOptions& options);
void check_options(BackupOptions& options, const std::vector<std::string>& positionals);
int run_backup(const BackupOptions& options);
