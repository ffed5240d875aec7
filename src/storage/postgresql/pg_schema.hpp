// PostgreSQL's schema: sql/postgresql/NNN_*.sql applied in order, in one
// transaction, recorded in schema_version; two processes starting at once
// wait for each other (an advisory lock). A transaction as an object.
#pragma once

#include "storage/postgresql/pg_connection.hpp"

// Brings the schema up to date. Throws std::runtime_error naming the
// migration that failed, or when the database is from a newer binary.
void migrate_postgresql(PgConnection& db);

// BEGIN on construction, ROLLBACK on destruction unless committed.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& db, const char* begin = "BEGIN");
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit();

 private:
  PgConnection& db_;
  bool open_ = true;
};
