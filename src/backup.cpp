#include "backup.hpp"

#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "database.hpp"

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

  const fs::path partial = out.string() + ".partial";
  fs::remove(partial);  // left by a backup that was killed half-way
  try {
    SQLite::Statement vacuum(db.sql(), "VACUUM INTO ?1");
    vacuum.bind(1, partial.string());
    vacuum.exec();
    sync_path(partial);
    fs::rename(partial, out);
    sync_path(out.parent_path());
  } catch (const std::exception& error) {
    std::error_code ignored;
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

std::string backup_file_name(Instant now) {
  return "uptime-monitor-" +
         date::format("%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(now)) + ".db";
}
