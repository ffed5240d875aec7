#include "storage/postgresql/pg_schema.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "storage/embedded_sql.hpp"

PgTransaction::PgTransaction(PgConnection& db, const char* begin) : db_(db) {
  db_.exec(begin);
}

PgTransaction::~PgTransaction() {
  if (!open_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is gone: so is the transaction.
  }
}

void PgTransaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

void migrate_postgresql(PgConnection& db) {
  PgTransaction transaction(db);
  // Any fixed key: the migrations of two processes must not interleave.
  db.exec("SELECT pg_advisory_xact_lock(7238411000)");
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
  const int current =
      static_cast<int>(db.exec("SELECT coalesce(max(version), 0) FROM schema_version").int64(0, 0));
  int latest = 0;
  for (const auto& file : sql::pg_migrations()) {
    // Files are named NNN_description.sql; NNN is the version they bring.
    const int number = std::atoi(file.name);
    latest = std::max(latest, number);
    if (number <= current) continue;
    try {
      db.exec(file.text);
    } catch (const std::exception& error) {
      throw std::runtime_error(std::string("migration postgresql/") + file.name +
                               " failed: " + error.what());
    }
    db.exec("DELETE FROM schema_version");
    db.exec("INSERT INTO schema_version VALUES (" + std::to_string(number) + ")");
  }
  if (current > latest) {
    throw std::runtime_error("PostgreSQL at " + db.where() + ": schema version " +
                             std::to_string(current) + " is newer than this binary knows (" +
                             std::to_string(latest) + ")");
  }
  transaction.commit();
}
