#include "storage/tokens.hpp"

#include "common/errors.hpp"

std::set<std::string> Tokens::scope_store_ids(const TokenRecord& token) {
  std::set<std::string> ids(token.stores.begin(), token.stores.end());
  if (!token.tag.empty()) ids.merge(tagged_store_ids(token.tag));
  return ids;
}

void check_new_token(const TokenRecord& token) {
  const bool scoped = !token.stores.empty() || !token.tag.empty();
  if (token.name.empty() || token.name.size() > 64) {
    throw InvalidInput("a token name is 1-64 characters");
  }
  if (token.role == Role::owner && !scoped) {
    throw InvalidInput("an owner token needs a scope: store ids or a tag");
  }
  if (token.role != Role::owner && scoped) {
    throw InvalidInput(std::string("a scope is for owner tokens, not ") + role_name(token.role));
  }
  if (!token.stores.empty() && !token.tag.empty()) {
    throw InvalidInput("an owner token is scoped by store ids or by a tag, not both");
  }
}
