#include "storage/raw_statement.hpp"

#include <stdexcept>
#include <string>

RawStatement::RawStatement(SQLite::Database& db, const char* sql) : db_(db.getHandle()) {
  if (sqlite3_prepare_v2(db_, sql, -1, &statement_, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot prepare a query: ") + sqlite3_errmsg(db_));
  }
}

RawStatement::~RawStatement() {
  sqlite3_finalize(statement_);
}

void RawStatement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot bind a query parameter: ") + sqlite3_errmsg(db_));
  }
}

bool RawStatement::step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(db_));
}

void RawStatement::reset() {
  sqlite3_reset(statement_);
}
