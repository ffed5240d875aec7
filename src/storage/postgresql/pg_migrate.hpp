// Copying a SQLite database into an empty PostgreSQL one (`uptime-monitor
// migrate`, docs/postgresql.md): every table the PostgreSQL schema shares
// with SQLite's (sql/postgresql/003_server_records.sql says which), column
// for column with COPY, in one transaction, each table's count checked on
// both sides before it commits. What is derived from the polls (SQLite's
// daily rollups and poll counters) is left to be rebuilt from them.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/postgresql/pg_connection.hpp"

struct CopiedTable {
  std::string table;
  std::size_t rows = 0;  // in both databases
};

// Copies `from` (read in one snapshot; a server may be running on it) into
// `to`, calling `on_table` as each table is copied and checked. Throws
// std::runtime_error, writing nothing, when `to` already holds data, `from`
// is not at this binary's schema version or retention deleted some of its
// polls (kept as rollups only, which PostgreSQL does not keep yet), a row does
// not fit, or a count differs.
std::vector<CopiedTable> copy_sqlite_to_postgresql(
    Database& from, PgConnection& to, const std::function<void(const CopiedTable&)>& on_table);
