// Access tokens in PostgreSQL (tokens.hpp says what they are), on a
// connection of their own, one call at a time.
#pragma once

#include <mutex>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/tokens.hpp"

class PgTokens : public Tokens {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgTokens(const std::string& url);

  void create(const TokenRecord& token, const std::string& secret_sha256) override;
  std::vector<TokenRecord> list() override;
  bool revoke(const std::string& name) override;
  std::optional<TokenRecord> find(const std::string& secret_sha256) override;
  TokenRoles roles() override;
  std::set<std::string> tagged_store_ids(const std::string& tag) override;

 private:
  TokenRecord read_token(const PgResult& rows, int row);

  std::mutex mutex_;
  PgConnection db_;
};
