// The SQL of sql/ compiled into the binary (see cmake/embed_sql.cmake):
// numbered schema migrations and named queries.
#pragma once

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

}  // namespace sql
