// The SQL of sql/ compiled into the binary (see cmake/embed_sql.cmake):
// numbered schema migrations and named queries, SQLite's and PostgreSQL's.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sql {

struct SqlFile {
  const char* name;  // file name for migrations ("001_schema.sql"), stem for queries
  const char* text;
};

// sql/NNN_*.sql, sorted by file name: migration N brings the schema to version N.
const std::vector<SqlFile>& migrations();
// sql/queries/*.sql, keyed by file stem; each holds statements introduced by
// "-- name: <name>" lines.
const std::vector<SqlFile>& queries();
// The statement named <name> in sql/queries/; throws std::out_of_range if none is.
const char* query(const std::string& name);
// The statement named <head> followed by the one named <row>, comma-separated,
// `rows` times: an INSERT of many rows at once ("INSERT ... VALUES" + "(?, ?)").
std::string repeated_rows(const std::string& head, const std::string& row, std::size_t rows);

// PostgreSQL's: sql/postgresql/NNN_*.sql and sql/postgresql/queries/*.sql.
const std::vector<SqlFile>& pg_migrations();
const std::vector<SqlFile>& pg_queries();
// The statement named <name> in sql/postgresql/queries/; throws std::out_of_range if none is.
const char* pg_query(const std::string& name);

}  // namespace sql
