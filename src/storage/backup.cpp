#include "storage/backup.hpp"

#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "storage/database.hpp"

namespace fs = std::filesystem;

namespace {

// fsync a file or folder, so a rename that follows survives a power cut.
void sync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open '" + path.string() + "' to sync it");
  const int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) throw std::runtime_error("cannot sync '" + path.string() + "'");
}

}  // namespace

BackupResult backup_database(const std::string& db_path, const std::string& out_path) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path out = fs::absolute(out_path);
  if (fs::exists(out)) throw std::runtime_error("backup file '" + out_path + "' already exists");
  if (!fs::is_directory(out.parent_path())) {
    throw std::runtime_error("folder '" + out.parent_path().string() + "' does not exist");
  }
  Database db(db_path, Database::Access::read_only);
  if (db.schema_version() == 0) {
    throw std::runtime_error("'" + db_path + "' is not an uptime-monitor database");
  }

  const fs::path partial = partial_path(out.string());
  std::error_code ignored;
  fs::remove(partial, ignored);  // left by a backup that was killed half-way
  try {
    SQLite::Statement vacuum(db.sql(), "VACUUM INTO ?1");
    vacuum.bind(1, partial.string());
    vacuum.exec();
    sync_path(partial);
    fs::rename(partial, out);
    sync_path(out.parent_path());
  } catch (const std::exception& error) {
    fs::remove(partial, ignored);
    throw std::runtime_error("backup of '" + db_path + "' to '" + out_path +
                             "' failed: " + error.what());
  }
  BackupResult result;
  result.path = out.string();
  result.bytes = fs::file_size(out);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

std::size_t remove_old_backups(const std::string& folder, std::size_t keep) {
  // Newest first by the time in the name, then by the "-N" of the same second.
  struct Backup {
    std::string stamp;  // "20230125T180000Z"
    int number;         // 1, or N of "-N"
    fs::path path;
  };
  std::vector<Backup> backups;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const std::string prefix = "uptime-monitor-";
    if (!entry.is_regular_file() || name.rfind(prefix, 0) != 0 ||
        name.size() < prefix.size() + 19 || name.compare(name.size() - 3, 3, ".db") != 0) {
      continue;
    }
    const std::string stamp = name.substr(prefix.size(), 16);
    const std::string rest = name.substr(prefix.size() + 16, name.size() - prefix.size() - 19);
    const int number = rest.empty() ? 1 : std::atoi(rest.c_str() + 1);
    backups.push_back({stamp, number, entry.path()});
  }
  std::sort(backups.begin(), backups.end(), [](const Backup& a, const Backup& b) {
    return a.stamp != b.stamp ? a.stamp > b.stamp : a.number > b.number;
  });
  std::size_t removed = 0;
  for (std::size_t i = keep; i < backups.size(); ++i) {
    std::error_code ignored;
    if (fs::remove(backups[i].path, ignored)) ++removed;
  }
  return removed;
}

std::string partial_path(const std::string& out_path) {
  return out_path + ".partial";
}

std::size_t remove_partial_backups(const std::string& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) return 0;
  std::vector<fs::path> partials;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = partial_path(".db");
    if (name.rfind("uptime-monitor-", 0) == 0 && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      partials.push_back(entry.path());
    }
  }
  std::size_t removed = 0;
  for (const fs::path& path : partials) {
    if (fs::remove(path, error)) ++removed;
  }
  return removed;
}

std::string backup_file_name(Instant now) {
  return "uptime-monitor-" +
         date::format("%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(now)) + ".db";
}
