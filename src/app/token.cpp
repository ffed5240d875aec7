// `token`: access tokens in the database — create (the secret printed once,
// on standard output), list (never a secret), revoke.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "clock.hpp"
#include "commands.hpp"
#include "token_secret.hpp"
#include "token_store.hpp"

int run_token(const Options& options) {
  // A mistyped --db would otherwise make a new, empty database whose tokens
  // no server reads.
  if (!options.create_db && !std::filesystem::exists(options.db_path)) {
    throw std::runtime_error("no database at '" + options.db_path +
                             "' (give --create-db to create one)");
  }
  Database db(options.db_path);  // creates or migrates the schema
  switch (options.token_action) {
    case TokenAction::create: {
      TokenRecord token{options.token_name, *parse_role(options.token_role), options.token_stores,
                        options.token_tag, wall_clock_now()};
      const std::string secret = new_token_secret();
      create_token(db, token, secret_sha256(secret));
      std::cout << secret << std::endl;
      std::fprintf(stderr,
                   "token '%s' (role %s) created: the secret above is shown this once; only its "
                   "SHA-256 is kept\n",
                   token.name.c_str(), role_name(token.role));
      return 0;
    }
    case TokenAction::list:
      for (const TokenRecord& token : list_tokens(db)) {
        std::string scope;
        for (const std::string& store : token.stores) scope += (scope.empty() ? "" : ",") + store;
        if (!token.tag.empty()) scope = "tag " + token.tag;
        std::cout << token.name << "\t" << role_name(token.role) << "\t"
                  << format_timestamp(token.created) << "\t" << scope << "\n";
      }
      return 0;
    case TokenAction::revoke:
      if (!revoke_token(db, options.token_name)) {
        std::fprintf(stderr, "uptime-monitor: no token named '%s'\n", options.token_name.c_str());
        return 1;
      }
      std::fprintf(stderr, "token '%s' revoked\n", options.token_name.c_str());
      return 0;
  }
  return 1;
}
