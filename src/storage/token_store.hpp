// Access tokens in the SQLite database (tokens.hpp says what they are).
#pragma once

#include "storage/shared_connection.hpp"
#include "storage/tokens.hpp"

class SqliteTokens : public Tokens {
 public:
  // Changes go through `writer`, reads through `reader` (the same one, or a
  // read-only connection that never waits behind a write), each held only
  // for the call.
  SqliteTokens(SharedConnection& writer, SharedConnection& reader)
      : writer_(writer), reader_(reader) {}

  void create(const TokenRecord& token, const std::string& secret_sha256) override;
  std::vector<TokenRecord> list() override;
  bool revoke(const std::string& name) override;
  std::optional<TokenRecord> find(const std::string& secret_sha256) override;
  TokenRoles roles() override;
  std::set<std::string> tagged_store_ids(const std::string& tag) override;

 private:
  SharedConnection& writer_;
  SharedConnection& reader_;
};
