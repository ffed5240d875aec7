#include "storage/postgresql/pg_connection.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace {

// PostgreSQL's messages span lines (DETAIL, HINT): the first says what failed.
std::string first_line(const char* message) {
  std::string text = message ? message : "";
  const auto end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text.empty() ? "no message" : text;
}

// An array's text form, "{a,b,...}", each element as `text` writes it.
template <class Element, class Text>
std::string array_text(const std::vector<Element>& elements, const Text& text) {
  std::string array = "{";
  for (const Element& element : elements) {
    if (array.size() > 1) array += ',';
    array += text(element);
  }
  return array + "}";
}

// The one-line error of a connection that could not be made.
std::runtime_error cannot_connect(const std::string& where, const std::string& reason) {
  return std::runtime_error("cannot connect to PostgreSQL at " + where + ": " + reason);
}

}  // namespace

const std::string& pg_process_tag() {
  static const std::string tag = [] {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const auto start = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(start);
  }();
  return tag;
}

// "host:port/database" from the URL's parts, the password left out. A URL
// libpq cannot even parse is named by its scheme only (it may hold a password).
std::string postgresql_location(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    std::string reason = first_line(error);
    PQfreemem(error);
    // libpq quotes the URL, password and all: cut it off.
    const auto quoted = reason.find(" in URI");
    if (quoted != std::string::npos) reason.resize(quoted);
    const auto whole = reason.find(url);
    if (whole != std::string::npos) reason.resize(whole);
    throw std::runtime_error("PostgreSQL URL is not valid: " + reason);
  }
  std::string host = "localhost", port = "5432", database;
  for (PQconninfoOption* option = options; option->keyword; ++option) {
    if (!option->val || !*option->val) continue;
    const std::string keyword = option->keyword;
    if (keyword == "host" || (keyword == "hostaddr" && host == "localhost")) host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") database = option->val;
  }
  PQconninfoFree(options);
  return host + ":" + port + "/" + database;
}

bool is_postgresql_url(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string with_database(const std::string& url, const std::string& database) {
  const std::size_t host = url.find("://") + 3;
  const std::size_t query = url.find('?', host);
  const std::size_t path = std::min(url.find('/', host), query);
  return url.substr(0, path) + "/" + database +
         (query == std::string::npos ? "" : url.substr(query));
}

PgResult::PgResult(pg_result* result) : result_(result) {}

void PgResult::Free::operator()(pg_result* result) const {
  PQclear(result);
}

int PgResult::rows() const {
  return PQntuples(result_.get());
}

int PgResult::columns() const {
  return PQnfields(result_.get());
}

int PgResult::affected_rows() const {
  return std::atoi(PQcmdTuples(result_.get()));
}

bool PgResult::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

const char* PgResult::text(int row, int column) const {
  return PQgetvalue(result_.get(), row, column);
}

std::int64_t pg_integer(const unsigned char* bytes, int length) {
  std::uint64_t value = length > 0 && (bytes[0] & 0x80) ? ~std::uint64_t{0} : 0;  // the sign
  for (int i = 0; i < length; ++i) value = (value << 8) | bytes[i];
  return static_cast<std::int64_t>(value);
}

PgBytes PgResult::bytes(int row, int column) const {
  return {reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)),
          PQgetlength(result_.get(), row, column)};
}

std::string PgResult::raw(int row, int column) const {
  const PgBytes value = bytes(row, column);
  return std::string(reinterpret_cast<const char*>(value.data),
                     static_cast<std::size_t>(value.length));
}

std::int64_t PgResult::int64(int row, int column) const {
  if (PQfformat(result_.get(), column) == 0) return std::stoll(text(row, column));
  // Binary: big-endian, as wide as the column's type (2, 4 or 8 bytes).
  const PgBytes value = bytes(row, column);
  return pg_integer(value.data, value.length);
}

std::optional<std::int64_t> PgResult::int64_or_null(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

PgConnection::PgConnection(const std::string& url) : where_(postgresql_location(url)) {
  conn_ = PQconnectdb(url.c_str());
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    const std::string reason = first_line(conn_ ? PQerrorMessage(conn_) : "out of memory");
    PQfinish(conn_);
    conn_ = nullptr;
    throw cannot_connect(where_, reason);
  }
  // Messages the server prints for its own reasons stay out of our stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

void PgConnection::fail(const std::string& doing) const {
  throw std::runtime_error("PostgreSQL at " + where_ + ": " + doing + ": " +
                           first_line(PQerrorMessage(conn_)));
}

PgResult PgConnection::checked(pg_result* raw, const std::string& doing) {
  PgResult result(raw);
  // Unknown once the connection is lost: then as it was before the command.
  const PGTransactionStatusType transaction = PQtransactionStatus(conn_);
  if (transaction != PQTRANS_UNKNOWN) in_transaction_ = transaction != PQTRANS_IDLE;
  const ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
    fail(doing);
  }
  return result;
}

void PgConnection::reopen_if_lost(const std::string& sql) {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  const bool lost_transaction = in_transaction_;
  in_transaction_ = false;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK)
    throw cannot_connect(where_, first_line(PQerrorMessage(conn_)));
  // What the transaction did went with the old connection: a command of it
  // must not run alone on the new one (only its rollback may).
  if (lost_transaction && sql != "ROLLBACK") {
    throw std::runtime_error("PostgreSQL at " + where_ +
                             ": the connection was lost inside a transaction, which was "
                             "rolled back");
  }
}

PgResult PgConnection::exec(const std::string& sql) {
  reopen_if_lost(sql);
  return checked(PQexec(conn_, sql.c_str()), "a command failed");
}

PgResult PgConnection::exec(const std::string& sql, const PgParams& params, bool binary) {
  reopen_if_lost(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  return checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, binary ? 1 : 0),
                 "a command failed");
}

void PgConnection::copy_begin(const std::string& copy_sql) {
  reopen_if_lost(copy_sql);
  copy_piece_.clear();
  checked(PQexec(conn_, copy_sql.c_str()), "COPY could not start");
}

void PgConnection::copy_put(const std::string& rows) {
  copy_piece_ += rows;
  if (copy_piece_.size() < kCopyPieceBytes) return;
  if (PQputCopyData(conn_, copy_piece_.data(), static_cast<int>(copy_piece_.size())) != 1) {
    fail("COPY could not send rows");
  }
  copy_piece_.clear();
}

void PgConnection::copy_end() {
  if (!copy_piece_.empty() &&
      PQputCopyData(conn_, copy_piece_.data(), static_cast<int>(copy_piece_.size())) != 1) {
    fail("COPY could not send rows");
  }
  copy_piece_.clear();
  if (PQputCopyEnd(conn_, nullptr) != 1) fail("COPY could not end");
  while (pg_result* raw = PQgetResult(conn_)) checked(raw, "COPY failed");
}

std::string pg_text_array(const std::vector<const std::string*>& texts) {
  std::string array = "{";
  for (const std::string* text : texts) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (const char c : *text) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  return array + "}";
}

std::string pg_text_array(const std::vector<std::string>& texts) {
  std::vector<const std::string*> each;
  each.reserve(texts.size());
  for (const std::string& text : texts) each.push_back(&text);
  return pg_text_array(each);
}

std::optional<std::string> pg_text_or_null(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

std::optional<std::string> pg_micros_or_null(const std::optional<Instant>& instant) {
  if (!instant) return std::nullopt;
  return std::to_string(to_micros(*instant));
}

std::optional<Instant> pg_instant_or_null(const PgResult& rows, int row, int column) {
  if (rows.is_null(row, column)) return std::nullopt;
  return from_micros(rows.int64(row, column));
}

std::string pg_int64_array(const std::vector<std::int64_t>& numbers) {
  return array_text(numbers, [](std::int64_t number) { return std::to_string(number); });
}

std::string pg_int64_array(const std::vector<std::optional<std::int64_t>>& numbers) {
  return array_text(numbers, [](const std::optional<std::int64_t>& number) {
    return number ? std::to_string(*number) : std::string("NULL");
  });
}

void append_hex(std::string& out, const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + 2 * bytes.size());
  for (const char byte : bytes) {
    out += kHex[static_cast<unsigned char>(byte) >> 4];
    out += kHex[static_cast<unsigned char>(byte) & 0xf];
  }
}

void append_copy_text(std::string& out, const std::string& text) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}
