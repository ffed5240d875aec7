// `token`: access tokens in the database — create (the secret printed once,
// on standard output), list (never a secret), revoke.
#pragma once

#include <string>
#include <vector>

#include "app/flags.hpp"

enum class TokenAction { create, list, revoke };

struct TokenOptions {
  std::string db_path = "uptime.db";
  TokenAction action = TokenAction::list;  // the word after `token`
  bool create_db = false;                  // the database may be new
  std::string name;
  std::string role;                 // as given; checked by the flag
  std::vector<std::string> stores;  // an owner's store ids
  std::string tag;                  // or an owner's tag
};

std::vector<Flag> flags_for(TokenOptions& options);
// Reads the action (create, list or revoke) and checks it has what it needs.
void check_options(TokenOptions& options, const std::vector<std::string>& positionals);
int run_token(const TokenOptions& options);
