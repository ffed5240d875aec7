// Access tokens wherever they are kept: a name, a role, an owner's scope, and
// only the SHA-256 of the secret (hex); the secret itself is made and hashed
// by the server layer (server/token_secret.hpp) and shown once. The token
// command, the server's authentication and /admin/tokens go through
// `Tokens`; SQLite (SqliteTokens, token_store.hpp) and PostgreSQL (PgTokens,
// postgresql/pg_tokens.hpp) are behind it, the same rules in both.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/timestamps.hpp"

struct TokenRecord {
  std::string name;
  Role role = Role::reader;
  std::vector<std::string> stores;  // an owner's store ids, or
  std::string tag;                  // an owner's tag (its stores as they change)
  Instant created;
};

// Which roles have tokens.
struct TokenRoles {
  bool any = false;
  bool readers = false;  // reader or owner tokens
};

class Tokens {
 public:
  virtual ~Tokens() = default;

  // Throws InvalidInput (errors.hpp) for a token check_new_token refuses,
  // Conflict for a name taken; a database fault stays the database's error.
  virtual void create(const TokenRecord& token, const std::string& secret_sha256) = 0;
  // By name.
  virtual std::vector<TokenRecord> list() = 0;
  // False when there is no token of that name.
  virtual bool revoke(const std::string& name) = 0;
  virtual std::optional<TokenRecord> find(const std::string& secret_sha256) = 0;
  virtual TokenRoles roles() = 0;
  // The ids of the stores with this tag now.
  virtual std::set<std::string> tagged_store_ids(const std::string& tag) = 0;

  // The store ids an owner token covers now: its list, or its tag's stores.
  std::set<std::string> scope_store_ids(const TokenRecord& token);
};

// What a new token must be: a name of 1-64 characters; an owner scoped by
// store ids or a tag (not both), no other role scoped. InvalidInput otherwise.
void check_new_token(const TokenRecord& token);
