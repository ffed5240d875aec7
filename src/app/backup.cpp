#include "app/backup.hpp"

#include <cstdio>

#include "common/log.hpp"
#include "storage/backup.hpp"

std::vector<Flag> flags_for(BackupOptions& o) {
  return {db_flag(o.db_path),
          text_flag("--out", nullptr, "PATH", "the copy to write (must not exist)", o.out_path),
          log_format_flag(o.log_format)};
}

void check_options(BackupOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty())
    throw UsageError("backup: unexpected argument '" + positionals[0] + "'");
  if (options.out_path.empty()) throw UsageError("backup needs --out FILE");
}

int run_backup(const BackupOptions& options) {
  set_log_format(options.log_format);
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
