#include "storage/postgresql/pg_tokens.hpp"

#include "common/errors.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

PgTokens::PgTokens(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

// Columns as list_tokens and token_by_secret select them; the scope's store
// ids read after.
TokenRecord PgTokens::read_token(const PgResult& rows, int row) {
  TokenRecord token;
  const std::string id = rows.text(row, 0);
  token.name = rows.text(row, 1);
  token.role = parse_role(rows.text(row, 2)).value_or(Role::owner);
  if (!rows.is_null(row, 3)) token.tag = rows.text(row, 3);
  token.created = from_micros(rows.int64(row, 4));
  const PgResult stores = db_.exec(sql::pg_query("token_store_ids"), {id});
  for (int store = 0; store < stores.rows(); ++store)
    token.stores.emplace_back(stores.text(store, 0));
  return token;
}

void PgTokens::create(const TokenRecord& token, const std::string& secret_sha256) {
  check_new_token(token);
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const PgResult inserted =
      db_.exec(sql::pg_query("insert_token"),
               {token.name, std::string(role_name(token.role)), secret_sha256,
                pg_text_or_null(token.tag), std::to_string(to_micros(token.created))});
  if (inserted.rows() == 0) throw Conflict("a token named '" + token.name + "' exists already");
  if (!token.stores.empty()) {
    db_.exec(sql::pg_query("insert_token_stores"),
             {inserted.text(0, 0), pg_text_array(token.stores)});
  }
  transaction.commit();
}

std::vector<TokenRecord> PgTokens::list() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TokenRecord> tokens;
  const PgResult rows = db_.exec(sql::pg_query("list_tokens"));
  for (int row = 0; row < rows.rows(); ++row) tokens.push_back(read_token(rows, row));
  return tokens;
}

bool PgTokens::revoke(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.exec(sql::pg_query("delete_token"), {name}).affected_rows() > 0;
}

std::optional<TokenRecord> PgTokens::find(const std::string& secret_sha256) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PgResult rows = db_.exec(sql::pg_query("token_by_secret"), {secret_sha256});
  if (rows.rows() == 0) return std::nullopt;
  return read_token(rows, 0);
}

TokenRoles PgTokens::roles() {
  std::lock_guard<std::mutex> lock(mutex_);
  const PgResult counts = db_.exec(sql::pg_query("token_roles"));
  return {counts.int64(0, 0) > 0, counts.int64(0, 1) > 0};
}

std::set<std::string> PgTokens::tagged_store_ids(const std::string& tag) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::set<std::string> ids;
  const PgResult rows = db_.exec(sql::pg_query("tag_store_ids"), {tag});
  for (int row = 0; row < rows.rows(); ++row) ids.emplace(rows.text(row, 0));
  return ids;
}
