// A prepared statement used through SQLite's C API, for the hot loops of a
// report (millions of poll rows for a long period, every store's place), where SQLiteCpp's
// per-column objects, each holding a reference-counted handle, cost as much
// as the row itself. RAII like SQLite::Statement; errors throw with context.
#pragma once

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <cstdint>

class RawStatement {
 public:
  RawStatement(SQLite::Database& db, const char* sql);
  ~RawStatement();
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;

  void bind(int index, std::int64_t value);
  // The next row: true while there is one. Throws std::runtime_error.
  bool step();
  std::int64_t column_int64(int column) const { return sqlite3_column_int64(statement_, column); }
  // Ready to run again (bindings kept).
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};
