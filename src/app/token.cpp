#include "app/token.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "common/clock.hpp"
#include "core/access.hpp"
#include "server/token_secret.hpp"
#include "storage/postgresql/pg_tokens.hpp"
#include "storage/token_store.hpp"

std::vector<Flag> flags_for(TokenOptions& o) {
  Flag db = db_flag(o.db_path, DbKinds::sqlite_or_postgresql);
  db.help =
      "SQLite database file (see --create-db), or a PostgreSQL database as "
      "postgresql://USER@HOST:PORT/DATABASE (docs/postgresql.md)";
  return {
      db,
      switch_flag("--create-db", nullptr,
                  "create the --db file when it does not exist (else a mistyped path is an error, "
                  "not a new empty database whose tokens no server reads)",
                  o.create_db),
      text_flag("--name", nullptr, "NAME",
                "create, revoke: the token's name (1-64 characters, unique)", o.name),
      {"--role", nullptr, "ROLE",
       "create: admin (everything), ingest (/ingest/*), reader (every read, triggering reports) "
       "or owner (read its own stores)",
       "",
       [&o](const std::string& v) {
         if (!parse_role(v))
           throw UsageError("--role wants admin, ingest, reader or owner, got '" + v + "'");
         o.role = v;
       }},
      {"--stores", nullptr, "IDS",
       "create --role owner: the store ids it covers, separated by commas", "",
       [&o](const std::string& v) {
         for (const std::string& id : split_commas(v)) {
           if (!id.empty()) o.stores.push_back(id);
         }
         if (o.stores.empty()) throw UsageError("--stores wants store ids separated by commas");
       }},
      text_flag("--tag", nullptr, "TAG",
                "create --role owner: the tag whose stores it covers, as they change "
                "(store_tags.csv)",
                o.tag),
  };
}

void check_options(TokenOptions& options, const std::vector<std::string>& positionals) {
  const std::string action = positionals.empty() ? "" : positionals[0];
  if (action == "create")
    options.action = TokenAction::create;
  else if (action == "list")
    options.action = TokenAction::list;
  else if (action == "revoke")
    options.action = TokenAction::revoke;
  else
    throw UsageError("token wants create, list or revoke, got '" + action + "'");
  if (positionals.size() > 1)
    throw UsageError("token: unexpected argument '" + positionals[1] + "'");
  if (options.action != TokenAction::list && options.name.empty()) {
    throw UsageError("token create and revoke need --name");
  }
  if (options.action == TokenAction::create && options.role.empty()) {
    throw UsageError("token create needs --role");
  }
}

namespace {

// The tokens of --db: a SQLite file (through `sqlite`, made here) or a
// PostgreSQL database.
std::unique_ptr<Tokens> open_tokens(const TokenOptions& options,
                                    std::optional<SharedConnection>& sqlite) {
  if (is_postgresql_url(options.db_path)) return std::make_unique<PgTokens>(options.db_path);
  // A mistyped --db would otherwise make a new, empty database whose tokens
  // no server reads.
  if (!options.create_db && !std::filesystem::exists(options.db_path)) {
    throw std::runtime_error("no database at '" + options.db_path +
                             "' (give --create-db to create one)");
  }
  sqlite.emplace(options.db_path);  // creates or migrates the schema
  return std::make_unique<SqliteTokens>(*sqlite, *sqlite);
}

}  // namespace

int run_token(const TokenOptions& options) {
  std::optional<SharedConnection> sqlite;
  const std::unique_ptr<Tokens> tokens = open_tokens(options, sqlite);
  switch (options.action) {
    case TokenAction::create: {
      TokenRecord token{options.name, *parse_role(options.role), options.stores, options.tag,
                        wall_clock_now()};
      const std::string secret = new_token_secret();
      tokens->create(token, secret_sha256(secret));
      std::cout << secret << std::endl;
      std::fprintf(stderr,
                   "token '%s' (role %s) created: the secret above is shown this once; only its "
                   "SHA-256 is kept\n",
                   token.name.c_str(), role_name(token.role));
      return 0;
    }
    case TokenAction::list:
      for (const TokenRecord& token : tokens->list()) {
        std::string scope;
        for (const std::string& store : token.stores) scope += (scope.empty() ? "" : ",") + store;
        if (!token.tag.empty()) scope = "tag " + token.tag;
        std::cout << token.name << "\t" << role_name(token.role) << "\t"
                  << format_timestamp(token.created) << "\t" << scope << "\n";
      }
      return 0;
    case TokenAction::revoke:
      if (!tokens->revoke(options.name)) {
        std::fprintf(stderr, "uptime-monitor: no token named '%s'\n", options.name.c_str());
        return 1;
      }
      std::fprintf(stderr, "token '%s' revoked\n", options.name.c_str());
      return 0;
  }
  return 1;
}
