// A connection to PostgreSQL through libpq, and the results of its commands:
// RAII over PGconn and PGresult, as SQLiteCpp is over SQLite. Every failure
// is a std::runtime_error that says where (host, port, database: never the
// password) and what PostgreSQL said, on one line. One thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/timestamps.hpp"

struct pg_conn;
struct pg_result;

// Whether `db` names a PostgreSQL database (postgresql:// or postgres://)
// rather than a SQLite file.
bool is_postgresql_url(const std::string& db);

// This process among those sharing a database, for the changes it notes
// (005_store_changes.sql): "host:pid:start", start in microseconds.
const std::string& pg_process_tag();

// Where a PostgreSQL URL points, for messages: "host:port/database", never
// the password.
std::string postgresql_location(const std::string& url);

// The URL of another database on the same server: `url` (a PostgreSQL URL)
// with its database, the path after the host, replaced; parameters kept.
std::string with_database(const std::string& url, const std::string& database);

// The bytes of a value in a binary result, and its length.
struct PgBytes {
  const unsigned char* data;
  int length;
};
// A big-endian signed integer of 1 to 8 bytes.
std::int64_t pg_integer(const unsigned char* bytes, int length);

class PgResult {
 public:
  explicit PgResult(pg_result* result);
  int rows() const;
  int columns() const;
  // Rows a command changed (INSERT, UPDATE, DELETE).
  int affected_rows() const;
  bool is_null(int row, int column) const;
  // A text column's value (text results only).
  const char* text(int row, int column) const;
  // A value's bytes as they came: a bytea's in a binary result.
  std::string raw(int row, int column) const;
  // An integer (bigint, integer, smallint) column's value, in results of
  // either format.
  std::int64_t int64(int row, int column) const;
  // The same, nullopt for NULL.
  std::optional<std::int64_t> int64_or_null(int row, int column) const;
  // A one-dimensional array of bigint or boolean without NULLs, in a binary
  // result: its elements appended to `out` through `element(bytes, length)`.
  template <class T, class Element>
  void array(int row, int column, std::vector<T>& out, const Element& element) const;

 private:
  PgBytes bytes(int row, int column) const;
  struct Free {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Free> result_;
};

// A command's parameters, $1, $2... as text; nullopt: NULL.
using PgParams = std::vector<std::optional<std::string>>;

class PgConnection {
 public:
  // Connects to the database the URL names (libpq's URL form: user,
  // password, host or a socket folder, port, database, parameters).
  explicit PgConnection(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs a command (several, with no parameters); its last result. Each
  // command (and COPY) first opens the connection again when the server
  // closed it (a restart, a failover to another host the URL names, an
  // administrator): the command that found it closed failed, as its
  // transaction did, and nothing it had not committed is kept; the next one
  // finds the server again.
  PgResult exec(const std::string& sql);
  // Runs one command with $1, $2... as text (nullopt: NULL). Its results in
  // binary when `binary`: PostgreSQL then sends numbers as they are, not
  // formatted as text for us to parse (a report's millions of polls).
  PgResult exec(const std::string& sql, const PgParams& params, bool binary = false);

  // COPY ... FROM STDIN: `copy_sql` starts it, put() adds rows in COPY's
  // text format (tab-separated, a line each), sent in pieces of about
  // kCopyPieceBytes, end() sends the rest and finishes it.
  void copy_begin(const std::string& copy_sql);
  void copy_put(const std::string& rows);
  void copy_end();

  // Where this connection goes, for messages: "host:port/database".
  const std::string& where() const { return where_; }

 private:
  // Before each command (`sql`, for the one exception: a ROLLBACK).
  void reopen_if_lost(const std::string& sql);
  [[noreturn]] void fail(const std::string& doing) const;
  PgResult checked(pg_result* result, const std::string& doing);

  pg_conn* conn_ = nullptr;
  std::string where_;
  bool in_transaction_ = false;  // after the last command
  static constexpr std::size_t kCopyPieceBytes = 1 << 20;
  std::string copy_piece_;  // COPY rows not sent yet
};

// Arrays as parameters in PostgreSQL's text form ({...}): store ids quoted,
// for `$1::text[]`, and numbers, for `$1::bigint[]`.
std::string pg_text_array(const std::vector<const std::string*>& texts);
std::string pg_text_array(const std::vector<std::string>& texts);
std::string pg_int64_array(const std::vector<std::int64_t>& numbers);
std::string pg_int64_array(const std::vector<std::optional<std::int64_t>>& numbers);  // NULLs too

// A text parameter that is NULL when empty (an unset tag or scope).
std::optional<std::string> pg_text_or_null(const std::string& text);
// An instant as a parameter in UTC microseconds, NULL when unset.
std::optional<std::string> pg_micros_or_null(const std::optional<Instant>& instant);
// A column of UTC microseconds as an instant; nullopt for NULL.
std::optional<Instant> pg_instant_or_null(const PgResult& rows, int row, int column);

// Bytes as hex digits, two a byte: a bytea's text form after "\\x".
void append_hex(std::string& out, const std::string& bytes);

// Text as COPY's text format needs it: backslash, tab, newline and carriage
// return escaped.
void append_copy_text(std::string& out, const std::string& text);

template <class T, class Element>
void PgResult::array(int row, int column, std::vector<T>& out, const Element& element) const {
  const PgBytes value = bytes(row, column);
  // Binary array: dimensions, has-NULLs flag, element type, then per
  // dimension its size and lower bound, then each element's length and bytes.
  const unsigned char* at = value.data;
  const unsigned char* end = value.data + value.length;
  const auto next_int = [&at, end]() {
    if (end - at < 4) throw std::runtime_error("PostgreSQL sent a truncated array");
    const std::int64_t number = pg_integer(at, 4);
    at += 4;
    return number;
  };
  const std::int64_t dimensions = next_int();
  next_int();  // has NULLs: the queries' arrays hold none
  next_int();  // element type
  if (dimensions == 0) return;
  if (dimensions != 1) throw std::runtime_error("PostgreSQL sent an array of arrays");
  const std::int64_t size = next_int();
  next_int();  // lower bound
  for (std::int64_t i = 0; i < size; ++i) {
    const std::int64_t length = next_int();
    if (length < 0 || end - at < length) throw std::runtime_error("PostgreSQL sent a bad array");
    out.push_back(element(at, static_cast<int>(length)));
    at += length;
  }
}
