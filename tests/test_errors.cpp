// Errors by kind (errors.hpp): what the caller did wrong apart from what the
// database did, so the server never reports a database fault as the client's
// mistake.
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "common/errors.hpp"
#include "server/token_secret.hpp"
#include "storage/database.hpp"
#include "storage/token_store.hpp"
#include "storage/webhook_store.hpp"
#include "support.hpp"

using test::TempDir;

TEST_CASE("a taken token name is a conflict, a broken rule invalid input", "[errors]") {
  TempDir dir;
  SharedConnection db(dir.file("u.db"));
  SqliteTokens tokens(db, db);
  const Instant now{};
  tokens.create({"ops", Role::admin, {}, "", now}, secret_sha256("one"));
  CHECK_THROWS_AS(tokens.create({"ops", Role::reader, {}, "", now}, secret_sha256("two")),
                  Conflict);
  CHECK_THROWS_AS(tokens.create({"", Role::reader, {}, "", now}, secret_sha256("three")),
                  InvalidInput);
  CHECK_THROWS_AS(tokens.create({"owner", Role::owner, {}, "", now}, secret_sha256("four")),
                  InvalidInput);
}

TEST_CASE("a database that refuses a write is a database fault, not a taken name", "[errors]") {
  TempDir dir;
  { Database create(dir.file("u.db")); }
  SharedConnection read_only(dir.file("u.db"), Database::Access::read_only);
  SqliteTokens tokens(read_only, read_only);
  try {
    tokens.create({"ops", Role::admin, {}, "", Instant{}}, secret_sha256("one"));
    FAIL("a read-only database took a token");
  } catch (const AppError& error) {
    FAIL(std::string("reported as the caller's mistake: ") + error.what());
  } catch (const SQLite::Exception& error) {
    CHECK(error.getErrorCode() == SQLITE_READONLY);
  }
}

TEST_CASE("a webhook's bad URL or secret is invalid input", "[errors]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  Webhook webhook;
  webhook.url = "http://127.0.0.1:/x";  // an empty port
  webhook.secret = "0123456789abcdef";
  CHECK_THROWS_AS(create_webhook(db, webhook), InvalidInput);
  webhook.url = "http://127.0.0.1:9/x";
  webhook.secret = "short";
  CHECK_THROWS_AS(create_webhook(db, webhook), InvalidInput);
}
