#include "storage/database.hpp"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "storage/embedded_sql.hpp"

namespace {

// How long a writer waits for another (a large import holds the lock for seconds).
constexpr int kBusyTimeoutMs = 30000;

int open_flags(Database::Access access) {
  return access == Database::Access::read_only ? SQLite::OPEN_READONLY
                                               : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
}

// SQLite keeps memory statistics (sqlite3_memory_used, unused here) under one
// process-wide mutex taken on every allocation: 16 report workers spent most
// of their time waiting on it (140,000 stores: 0.35 s of work took 0.95 s).
// Configuration must come before the first connection; were one opened
// elsewhere first, the call fails harmlessly and statistics stay on.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// "", ":memory:" and "file:" URIs name no file another connection could
// open: imports look stores up, and reports read, on connections of their
// own, which would each see an empty database of their own.
bool names_a_file(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

SQLite::Database open(const std::string& path, Database::Access access) {
  if (!names_a_file(path)) {
    throw std::runtime_error("database '" + path +
                             "': not a file; imports and reports open further connections to "
                             "the database, which need its path");
  }
  configure_sqlite_once();
  try {
    // NOMUTEX: each connection is used by one thread at a time (the owners lock).
    return SQLite::Database(path, open_flags(access) | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
  } catch (const SQLite::Exception& error) {
    throw std::runtime_error("cannot open database '" + path + "': " + error.what());
  }
}

// Migration files are named NNN_description.sql; NNN is the version they bring.
int migration_number(const char* file_name) {
  return std::atoi(file_name);
}

}  // namespace

Database::Database(const std::string& path, Access access) : path_(path), db_(open(path, access)) {
  try {
    if (access == Access::read_write) {
      db_.exec("PRAGMA journal_mode=WAL");
      db_.exec("PRAGMA synchronous=NORMAL");
      // After a checkpoint starts the log over, its file is cut to this size.
      db_.exec("PRAGMA journal_size_limit=67108864");
    }
    db_.exec("PRAGMA temp_store=MEMORY");
    // Reads map (up to 128 MiB of) the file instead of copying each page through
    // read(2); the mapped pages count in the RSS, hence the bound.
    set_map_bytes(std::int64_t{128} << 20);
    // Page cache per connection: writers revisit pages (64 MiB), report
    // readers touch each page about once and read through the map (8 MiB).
    set_cache_bytes(std::int64_t{access == Access::read_write ? 64 : 8} << 20);
    if (access == Access::read_write) migrate();
    const int version = schema_version();
    if (version > latest_schema_version()) {
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is newer than this binary knows (" +
                               std::to_string(latest_schema_version()) + ")");
    }
  } catch (const std::exception& error) {
    throw std::runtime_error("database '" + path + "': " + error.what());
  }
}

int Database::latest_schema_version() {
  int latest = 0;
  for (const auto& file : sql::migrations()) latest = std::max(latest, migration_number(file.name));
  return latest;
}

void Database::set_map_bytes(std::int64_t bytes) {
  db_.exec("PRAGMA mmap_size=" + std::to_string(bytes));
}

void Database::set_cache_bytes(std::int64_t bytes) {
  // A negative cache_size is in KiB.
  db_.exec("PRAGMA cache_size=-" + std::to_string(std::max<std::int64_t>(bytes >> 10, 64)));
}

int Database::schema_version() {
  return db_.execAndGet("PRAGMA user_version").getInt();
}

void Database::migrate() {
  if (schema_version() >= latest_schema_version()) return;
  // BEGIN IMMEDIATE: two processes starting at once must not both migrate.
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  const int current = schema_version();
  for (const auto& file : sql::migrations()) {
    const int number = migration_number(file.name);
    if (number <= current) continue;
    try {
      db_.exec(file.text);
    } catch (const SQLite::Exception& error) {
      throw std::runtime_error(std::string("migration ") + file.name + " failed: " + error.what());
    }
    db_.exec("PRAGMA user_version=" + std::to_string(number));
  }
  transaction.commit();
}
