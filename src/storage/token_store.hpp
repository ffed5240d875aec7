// Access tokens in the database: a name, a role, an owner's scope, and only
// the SHA-256 of the secret (hex). The secret itself is made and hashed by
// the server layer (server/token_secret.hpp) and shown once.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/timestamps.hpp"
#include "storage/database.hpp"

struct TokenRecord {
  std::string name;
  Role role = Role::reader;
  std::vector<std::string> stores;  // an owner's store ids, or
  std::string tag;                  // an owner's tag (its stores as they change)
  Instant created;
};

// Throws Conflict (errors.hpp) for a name taken, InvalidInput for an owner
// without a scope or a scope on another role; a database fault stays the
// SQLite::Exception it is.
void create_token(Database& db, const TokenRecord& token, const std::string& secret_sha256);
std::vector<TokenRecord> list_tokens(Database& db);
// False when there is no token of that name.
bool revoke_token(Database& db, const std::string& name);
std::optional<TokenRecord> find_token(Database& db, const std::string& secret_sha256);

// Which roles have tokens in the database.
struct TokenRoles {
  bool any = false;
  bool readers = false;  // reader or owner tokens
};
TokenRoles token_roles(Database& db);

// The store ids an owner token covers now: its list, or its tag's stores.
std::set<std::string> scope_store_ids(Database& db, const TokenRecord& token);
// The ids of the stores with this tag now.
std::set<std::string> tagged_store_ids(Database& db, const std::string& tag);
