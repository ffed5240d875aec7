// `backup`: a consistent copy of the database, safe while a server runs.
#include "backup.hpp"

#include <cstdio>

#include "commands.hpp"
#include "log.hpp"

int run_backup(const Options& options) {
  const BackupResult result = backup_database(options.db_path, options.out_path);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", result.seconds);
  log_info("backup of " + options.db_path + " written to " + result.path + ": " +
               std::to_string(result.bytes) + " bytes in " + seconds,
           {{"database", options.db_path},
            {"path", result.path},
            {"bytes", result.bytes},
            {"seconds", result.seconds}});
  return 0;
}
