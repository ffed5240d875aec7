// Consistent copies of the live database (SQLite's VACUUM INTO inside one read
// transaction), safe while the server ingests and reports: `backup` command
// and POST /admin/backup.
#pragma once

#include <cstdint>
#include <string>

#include "core/timestamps.hpp"

struct BackupResult {
  std::string path;
  std::uintmax_t bytes = 0;
  double seconds = 0;
};

// Writes a copy of the database at `db_path` to `out_path`, which must not
// exist. The copy appears whole or not at all: it is written beside
// `out_path`, synced, then renamed. Throws std::runtime_error naming the problem.
BackupResult backup_database(const std::string& db_path, const std::string& out_path);

// Deletes the oldest backups (files named as backup_file_name makes them) in
// `folder` beyond the newest `keep`. Returns how many it deleted.
std::size_t remove_old_backups(const std::string& folder, std::size_t keep);

// Where a backup to `out_path` is written before it is renamed: removed
// when the backup fails.
std::string partial_path(const std::string& out_path);

// Removes the partial files of backups killed half-way (a crash, kill -9)
// from `folder`: those of files named as backup_file_name makes them.
// Returns how many; a folder that does not exist holds none.
std::size_t remove_partial_backups(const std::string& folder);

// "uptime-monitor-20230125T180000Z.db": a backup file name for `now` (UTC).
std::string backup_file_name(Instant now);
