#include "storage/token_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <stdexcept>

#include "common/errors.hpp"
#include "storage/embedded_sql.hpp"

namespace {

// Columns as list_tokens and token_by_secret select them; the scope's store
// ids read after.
TokenRecord read_token(SQLite::Database& db, SQLite::Statement& row) {
  TokenRecord token;
  const std::int64_t id = row.getColumn(0).getInt64();
  token.name = row.getColumn(1).getString();
  const std::string role = row.getColumn(2).getString();
  token.role = parse_role(role).value_or(Role::owner);
  if (!row.getColumn(3).isNull()) token.tag = row.getColumn(3).getString();
  token.created = from_micros(row.getColumn(4).getInt64());
  SQLite::Statement stores(db, sql::query("token_store_ids"));
  stores.bind(1, id);
  while (stores.executeStep()) token.stores.push_back(stores.getColumn(0).getString());
  return token;
}

}  // namespace

void SqliteTokens::create(const TokenRecord& token, const std::string& secret_sha256) {
  check_new_token(token);
  auto lease = writer_.lock();
  SQLite::Database& db = lease.db().sql();
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement insert(db, sql::query("insert_token"));
  insert.bind(1, token.name);
  insert.bind(2, role_name(token.role));
  insert.bind(3, secret_sha256);
  if (token.tag.empty()) {
    insert.bind(4);
  } else {
    insert.bind(4, token.tag);
  }
  insert.bind(5, to_micros(token.created));
  try {
    insert.exec();
  } catch (const SQLite::Exception& error) {
    // Only the name's UNIQUE constraint is the caller's doing; a busy, full
    // or failing database stays a database fault.
    if (error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
      throw Conflict("a token named '" + token.name + "' exists already");
    }
    throw;
  }
  const std::int64_t id = db.getLastInsertRowid();
  SQLite::Statement store(db, sql::query("insert_token_store"));
  for (const std::string& store_id : token.stores) {
    store.bind(1, id);
    store.bind(2, store_id);
    store.exec();
    store.reset();
  }
  transaction.commit();
}

std::vector<TokenRecord> SqliteTokens::list() {
  auto lease = reader_.lock();
  SQLite::Database& db = lease.db().sql();
  std::vector<TokenRecord> tokens;
  SQLite::Statement query(db, sql::query("list_tokens"));
  while (query.executeStep()) tokens.push_back(read_token(db, query));
  return tokens;
}

bool SqliteTokens::revoke(const std::string& name) {
  auto lease = writer_.lock();
  SQLite::Database& db = lease.db().sql();
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement stores(db, sql::query("delete_token_stores"));
  stores.bind(1, name);
  stores.exec();
  SQLite::Statement remove(db, sql::query("delete_token"));
  remove.bind(1, name);
  const bool removed = remove.exec() > 0;
  transaction.commit();
  return removed;
}

std::optional<TokenRecord> SqliteTokens::find(const std::string& secret_sha256) {
  auto lease = reader_.lock();
  SQLite::Database& db = lease.db().sql();
  SQLite::Statement query(db, sql::query("token_by_secret"));
  query.bind(1, secret_sha256);
  if (!query.executeStep()) return std::nullopt;
  return read_token(db, query);
}

TokenRoles SqliteTokens::roles() {
  auto lease = reader_.lock();
  SQLite::Statement query(lease.db().sql(), sql::query("token_roles"));
  query.executeStep();
  return {query.getColumn(0).getInt64() > 0, query.getColumn(1).getInt64() > 0};
}

std::set<std::string> SqliteTokens::tagged_store_ids(const std::string& tag) {
  auto lease = reader_.lock();
  std::set<std::string> ids;
  SQLite::Statement query(lease.db().sql(), sql::query("tag_store_ids"));
  query.bind(1, tag);
  while (query.executeStep()) ids.insert(query.getColumn(0).getString());
  return ids;
}
