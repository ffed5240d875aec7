// Optional instants and integers in and out of SQLite: NULL for none, UTC
// microseconds otherwise (how every table stores instants).
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>

#include "core/timestamps.hpp"

inline std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

inline std::optional<Instant> optional_instant(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return from_micros(column.getInt64());
}

inline void bind_optional_int(SQLite::Statement& statement, int index,
                              std::optional<std::int64_t> value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

inline void bind_optional(SQLite::Statement& statement, int index, std::optional<Instant> instant) {
  if (instant) {
    statement.bind(index, to_micros(*instant));
  } else {
    statement.bind(index);
  }
}
