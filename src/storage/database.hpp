// The SQLite database file: opening a connection with the project's settings
// (WAL, synchronous=NORMAL, busy timeout) and bringing the schema up to date
// from the embedded sql/NNN_*.sql migrations, recorded in PRAGMA user_version.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

class Database {
 public:
  enum class Access { read_write, read_only };

  // Opens (creating if needed) the database at `path`. A read-write open also
  // applies any pending migrations in one transaction. Throws std::runtime_error
  // naming the path when the file cannot be opened or is not this project's,
  // or when the path names no file ("", ":memory:", a "file:" URI).
  explicit Database(const std::string& path, Access access = Access::read_write);

  SQLite::Database& sql() { return db_; }
  // How much of the file reads may map (PRAGMA mmap_size; 128 MiB unless
  // set): mapped pages count in the RSS, once per connection that maps them.
  void set_map_bytes(std::int64_t bytes);
  // The connection's page cache (PRAGMA cache_size; 64 MiB for a writer,
  // 8 MiB for a reader unless set).
  void set_cache_bytes(std::int64_t bytes);
  const std::string& path() const { return path_; }

  // The schema version this binary brings the database to.
  static int latest_schema_version();
  int schema_version();

 private:
  void migrate();

  std::string path_;
  SQLite::Database db_;
};
