// The PostgreSQL engine (storage/postgresql/, docs/postgresql.md) against the
// SQLite one, on the throwaway cluster tests/postgresql/cluster.sh starts
// (its URL in the file UPTIME_TEST_POSTGRESQL names): the same counts and
// rejections for the same inputs, the same replace rules, the same report
// bytes; errors that say where without the password.
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <functional>
#include <sstream>

#include "common/errors.hpp"
#include "postgresql/fresh_database.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_import.hpp"
#include "storage/postgresql/pg_schema.hpp"
#include "storage/postgresql/pg_store_edits.hpp"
#include "storage/postgresql/pg_tokens.hpp"
#include "storage/postgresql/pg_webhooks.hpp"
#include "storage/store_edits.hpp"
#include "storage/store_engine.hpp"
#include "storage/token_store.hpp"
#include "storage/webhook_store.hpp"
#include "support.hpp"

using test::FreshDatabase;
using test::TempDir;

namespace {

void check_same(const ImportSummary& postgresql, const ImportSummary& sqlite) {
  CHECK(postgresql.rows_read == sqlite.rows_read);
  CHECK(postgresql.loaded == sqlite.loaded);
  CHECK(postgresql.duplicates == sqlite.duplicates);
  CHECK(postgresql.conflicts == sqlite.conflicts);
  CHECK(postgresql.rejected == sqlite.rejected);
  CHECK(postgresql.first_rejections == sqlite.first_rejections);
  CHECK(postgresql.error == sqlite.error);
}

// Inputs loaded one after another: each step's counts and then the reports
// must be the same in both engines.
const std::vector<std::pair<Dataset, std::string>> kSteps = {
    {Dataset::zones,
     "store_id,timezone_str\na,America/New_York\nb,Europe/Paris\nb,Asia/Tokyo\nc,Mars/Base\n"},
    {Dataset::hours,
     "store_id,dayOfWeek,start_time_local,end_time_local\n"
     "a,0,09:00,17:00\na,0,09:00,17:00\na,1,22:00,02:00\nb,2,25:00,03:00\nb,3,06:00,06:00\n"},
    {Dataset::special_hours,
     "store_id,date,start_time_local,end_time_local\n"
     "a,2023-01-23,,\nb,2023-01-24,10:00,12:00\nb,2023-01-24,14:00,16:00\nb,2023-02-30,,\n"},
    {Dataset::polls,
     "store_id,status,timestamp_utc\n"
     "a,active,2023-01-24 10:00:00 UTC\na,inactive,2023-01-24 11:00:00 UTC\n"
     "a,active,2023-01-24T11:00:00Z\n"  // the same instant, the other status: a conflict
     "a,inactive,2023-01-24 11:00:00.000000 UTC\n"  // the same again: a duplicate
     "b,active,2023-01-24 12:00:00 UTC\nb,maybe,2023-01-24 13:00:00 UTC\n"
     "c,inactive,2023-01-25 09:00:00 UTC\n\"d,active,2023-01-25 09:00:00 UTC\n"},
    // Again, with news: known polls are duplicates or conflicts; hours of a
    // replaced, special dates of b replaced date by date, a's zone replaced.
    {Dataset::polls,
     "store_id,status,timestamp_utc\n"
     "a,active,2023-01-24 10:00:00 UTC\na,active,2023-01-24 11:00:00 UTC\n"
     "a,active,2023-01-25 12:00:00 UTC\nnew,active,2023-01-25 12:00:00 UTC\n"},
    {Dataset::hours, "store_id,dayOfWeek,start_time_local,end_time_local\na,4,08:00,20:00\n"},
    {Dataset::special_hours,
     "store_id,date,start_time_local,end_time_local\nb,2023-01-24,,\nb,2023-01-26,09:00,10:00\n"},
    {Dataset::zones, "store_id,timezone_str\na,America/Chicago\n"},
};

// The reports the engines are compared by: the windows as of the data's
// end, and a period of dates.
std::pair<ReportOptions, ReportOptions> compared_reports() {
  ReportOptions windows;
  windows.as_of = test::at("2023-01-25 18:00:00");
  ReportOptions period = windows;
  period.period = DatePeriod{date::local_days{date::year{2023} / 1 / 22},
                             date::local_days{date::year{2023} / 1 / 26}};
  return {windows, period};
}

}  // namespace

TEST_CASE("PostgreSQL: the same counts, rejections and reports as SQLite, step by step",
          "[postgresql]") {
  TempDir dir;
  FreshDatabase database("engine_steps");
  const auto sqlite = open_store_engine(dir.file("u.db"));
  const auto postgresql = open_store_engine(database.url());
  const auto [windows, period] = compared_reports();
  ReportOptions with_gap = windows;
  with_gap.rules.max_gap = std::chrono::hours{2};
  for (std::size_t step = 0; step < kSteps.size(); ++step) {
    INFO("step " << step);
    const auto& [dataset, csv] = kSteps[step];
    check_same(test::load_csv(*postgresql, dataset, csv), test::load_csv(*sqlite, dataset, csv));
    if (step < 3) continue;  // no polls yet: nothing to report
    CHECK(test::report_csv(*postgresql, windows) == test::report_csv(*sqlite, windows));
    CHECK(test::report_csv(*postgresql, period) == test::report_csv(*sqlite, period));
    CHECK(test::report_csv(*postgresql, with_gap) == test::report_csv(*sqlite, with_gap));
  }
  // The fourth step has one of each kind.
  TempDir other;
  const auto fresh = open_store_engine(other.file("u.db"));
  for (std::size_t step = 0; step < 3; ++step)
    test::load_csv(*fresh, kSteps[step].first, kSteps[step].second);
  const ImportSummary mixed = test::load_csv(*fresh, Dataset::polls, kSteps[3].second);
  CHECK(mixed.loaded == 4);
  CHECK(mixed.duplicates == 1);
  CHECK(mixed.conflicts == 1);
  CHECK(mixed.rejected == 2);
}

namespace {

// Each store's first and newest polls, as both engines keep them beside the polls.
constexpr const char* kFirstAndLatest =
    "SELECT store_id, coalesce(first_poll_us, -1), coalesce(latest_poll_us, -1) FROM stores "
    "ORDER BY store_id";
std::string first_and_latest_polls(PgConnection& db) {
  const PgResult rows = db.exec(kFirstAndLatest);
  std::string text;
  for (int row = 0; row < rows.rows(); ++row) {
    text +=
        std::string(rows.text(row, 0)) + " " + rows.text(row, 1) + " " + rows.text(row, 2) + "\n";
  }
  return text;
}
std::string first_and_latest_polls(SQLite::Database& db) {
  SQLite::Statement rows(db, kFirstAndLatest);
  std::string text;
  while (rows.executeStep()) {
    text += rows.getColumn(0).getString() + " " + rows.getColumn(1).getString() + " " +
            rows.getColumn(2).getString() + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("PostgreSQL: a store's special dates and polls deleted as SQLite deletes them",
          "[postgresql]") {
  TempDir dir;
  FreshDatabase database("engine_edits");
  const auto sqlite = open_store_engine(dir.file("u.db"));
  const auto postgresql = open_store_engine(database.url());
  for (const auto& [dataset, csv] : kSteps) {
    test::load_csv(*sqlite, dataset, csv);
    test::load_csv(*postgresql, dataset, csv);
  }
  SharedConnection writer(dir.file("u.db"));
  SqliteStoreEdits sqlite_edits(writer);
  PgStoreEdits postgresql_edits(database.url());
  PgConnection pg(database.url());
  const auto [windows, period] = compared_reports();
  const auto days = [](const char* from, const char* to) {
    return std::make_pair(*parse_local_date(from), *parse_local_date(to));
  };
  const auto outcome = [](std::optional<std::size_t> deleted) {
    return deleted ? std::to_string(*deleted) : std::string("no such store");
  };
  // Each edit on both; the same count, then the same reports (a period
  // starts at the store's first poll, rules §9: deleting it moves the start).
  const std::vector<std::function<std::optional<std::size_t>(StoreEdits&)>> edits = {
      [&](StoreEdits& edits) {
        const auto [first, last] = days("2023-01-24", "2023-01-26");
        return edits.delete_special_dates("b", first, last);
      },
      [&](StoreEdits& edits) {
        const auto [first, last] = days("2023-01-01", "2023-12-31");
        return edits.delete_special_dates("nobody", first, last);
      },
      [&](StoreEdits& edits) {
        return edits.delete_polls("a", test::at("2023-01-24 10:30:00"),
                                  test::at("2023-01-25 00:00:00"));
      },
      [&](StoreEdits& edits) {
        return edits.delete_polls("a", std::nullopt, test::at("2023-01-24 10:30:00"));
      },
      [&](StoreEdits& edits) { return edits.delete_polls("c", std::nullopt, std::nullopt); },
      [&](StoreEdits& edits) { return edits.delete_polls("nobody", std::nullopt, std::nullopt); }};
  std::vector<std::string> counts;
  for (std::size_t edit = 0; edit < edits.size(); ++edit) {
    INFO("edit " << edit);
    const std::string deleted = outcome(edits[edit](sqlite_edits));
    CHECK(outcome(edits[edit](postgresql_edits)) == deleted);
    counts.push_back(deleted);
    CHECK(test::report_csv(*postgresql, windows) == test::report_csv(*sqlite, windows));
    CHECK(test::report_csv(*postgresql, period) == test::report_csv(*sqlite, period));
    CHECK(first_and_latest_polls(pg) == first_and_latest_polls(writer.lock().db().sql()));
  }
  // Checked on their own, so that both engines cannot be wrong alike.
  CHECK(counts == std::vector<std::string>{"2", "no such store", "1", "1", "1", "no such store"});
}

namespace {

// Polls out of order, given again and contradicted across what any batch
// size cuts them into; then an input whose rows are all at or before their
// stores' newest, or new stores' (some with ids an array literal quotes).
const std::vector<std::string> kPollInputs = {
    "store_id,status,timestamp_utc\n"
    "b,active,2023-01-24 12:00:00 UTC\na,active,2023-01-24 11:00:00 UTC\n"
    "a,inactive,2023-01-24 09:00:00 UTC\nb,active,2023-01-24 12:00:00 UTC\n"
    "a,inactive,2023-01-24 11:00:00 UTC\nc,active,2023-01-24 08:00:00 UTC\n"
    "a,active,2023-01-24 10:00:00 UTC\nb,inactive,2023-01-24 09:00:00 UTC\n"
    "a,active,2023-01-24 09:00:00 UTC\nb,inactive,2023-01-24 12:00:00 UTC\n"
    "a,inactive,2023-01-24 13:00:00 UTC\nd,active,2023-01-24 10:00:00 UTC\n"
    "a,inactive,2023-01-24 13:00:00 UTC\nb,active,2023-01-24 13:00:00 UTC\n",
    "store_id,status,timestamp_utc\n"
    "a,active,2023-01-24 12:00:00 UTC\nb,active,2023-01-24 12:00:00 UTC\n"
    "e,inactive,2023-01-24 12:00:00 UTC\na,active,2023-01-24 09:00:00 UTC\n"
    "a,inactive,2023-01-24 12:00:00 UTC\ne,active,2023-01-24 12:00:00 UTC\n"
    // Store ids an array literal must quote: kept exactly.
    "\"x,y\",active,2023-01-24 12:00:00 UTC\n{z},active,2023-01-24 12:00:00 UTC\n"
    "\"q\"\"uote\",inactive,2023-01-24 12:00:00 UTC\nback\\slash,active,2023-01-24 12:00:00 UTC\n"
    " spaced ,active,2023-01-24 12:00:00 UTC\nNULL,active,2023-01-24 12:00:00 UTC\n",
};

// The stores in key order with their first and newest polls, then every poll.
std::string stored_polls(PgConnection& db) {
  const PgResult stores = db.exec(
      "SELECT string_agg(store_id || ' ' || first_poll_us || ' ' || latest_poll_us, ', ' "
      "ORDER BY id) FROM stores");
  const PgResult polls = db.exec(
      "SELECT string_agg(s.store_id || ' ' || p.at_us || ' ' || p.active, ', ' "
      "ORDER BY s.store_id, p.at_us) FROM polls p JOIN stores s ON s.id = p.store");
  return std::string(stores.text(0, 0)) + "\n" + polls.text(0, 0);
}

}  // namespace

TEST_CASE("PostgreSQL: polls loaded in batches of any size as SQLite loads them", "[postgresql]") {
  TempDir dir;
  const auto sqlite = open_store_engine(dir.file("u.db"));
  std::vector<ImportSummary> expected;
  for (const std::string& csv : kPollInputs)
    expected.push_back(test::load_csv(*sqlite, Dataset::polls, csv));
  ReportOptions options;
  options.as_of = test::at("2023-01-24 14:00:00");
  const std::string expected_report = test::report_csv(*sqlite, options);
  std::string as_one_run;
  // Batches of 1 to 5 polls; runs in memory or in the file; polls that may
  // be known sent one, two or many at a time (a (store, instant) in parts).
  for (const PgPollSizes sizes : {kPgPollSizes, PgPollSizes{1, 0, 1}, PgPollSizes{2, 4, 2},
                                  PgPollSizes{3, 100, 3}, PgPollSizes{5, 1, 100}}) {
    INFO("batches of " << sizes.batch_polls << ", " << sizes.memory_polls << " in memory, "
                       << sizes.older_polls << " older at a time");
    FreshDatabase database("engine_chunks");
    PgConnection db(database.url());
    migrate_postgresql(db);
    for (std::size_t input = 0; input < kPollInputs.size(); ++input) {
      std::istringstream in(kPollInputs[input]);
      check_same(pg_ingest_csv(db, Dataset::polls, "input.csv", in, {}, {}, sizes),
                 expected[input]);
    }
    const std::string stored = stored_polls(db);
    if (as_one_run.empty()) as_one_run = stored;
    CHECK(stored == as_one_run);  // keys in the order of first rows, each store's span
    CHECK(test::report_csv(*open_store_engine(database.url()), options) == expected_report);
  }
}

namespace {

// Tokens through the interface, every outcome written down: what a store of
// tokens answers, to be compared between the engines.
std::string exercise_tokens(Tokens& tokens) {
  std::ostringstream out;
  const Instant at = test::at("2023-01-25 18:00:00");
  const auto outcome = [&out](const std::function<void()>& step) {
    try {
      step();
      out << "ok\n";
    } catch (const Conflict& error) {
      out << "conflict: " << error.what() << "\n";
    } catch (const InvalidInput& error) {
      out << "invalid: " << error.what() << "\n";
    }
  };
  const auto roles = [&] {
    const TokenRoles now = tokens.roles();
    out << "roles " << now.any << now.readers << "\n";
  };
  roles();
  outcome([&] { tokens.create({"ops", Role::admin, {}, "", at}, "sha-ops"); });
  roles();
  outcome([&] { tokens.create({"Zed", Role::owner, {"b", "a", "b"}, "", at}, "sha-zed"); });
  outcome([&] { tokens.create({"north", Role::owner, {}, "north", at}, "sha-north"); });
  outcome([&] { tokens.create({"ops", Role::reader, {}, "", at}, "sha-other"); });
  outcome([&] { tokens.create({"", Role::reader, {}, "", at}, "sha-empty"); });
  outcome([&] { tokens.create({"both", Role::owner, {"a"}, "north", at}, "sha-both"); });
  roles();
  for (const TokenRecord& token : tokens.list()) {
    out << token.name << " " << role_name(token.role) << " " << token.tag << " "
        << format_timestamp(token.created);
    for (const std::string& store : token.stores) out << " " << store;
    out << "\n";
  }
  for (const std::string secret : {"sha-zed", "sha-north", "sha-none"}) {
    const auto token = tokens.find(secret);
    out << secret << ": " << (token ? token->name : "none");
    if (token) {
      for (const std::string& store : tokens.scope_store_ids(*token)) out << " " << store;
    }
    out << "\n";
  }
  out << "revoke " << tokens.revoke("Zed") << tokens.revoke("Zed") << "\n";
  out << "find after " << tokens.find("sha-zed").has_value() << "\n";
  return out.str();
}

}  // namespace

TEST_CASE("PostgreSQL: tokens as SQLite keeps them", "[postgresql]") {
  const std::string tags = "store_id,tag\nn1,north\nn2,north\ns1,south\n";
  TempDir dir;
  test::load_csv(*open_store_engine(dir.file("u.db")), Dataset::tags, tags);
  SharedConnection sqlite(dir.file("u.db"));
  SqliteTokens sqlite_tokens(sqlite, sqlite);
  const std::string expected = exercise_tokens(sqlite_tokens);
  // Checked on its own, so that both engines cannot be wrong alike.
  CHECK_THAT(expected, Catch::StartsWith("roles 00\nok\nroles 10\nok\nok\nconflict"));
  CHECK_THAT(expected, Catch::Contains("Zed owner  2023-01-25T18:00:00.000000Z a b\n"
                                       "north owner north 2023-01-25T18:00:00.000000Z\n"
                                       "ops admin  2023-01-25T18:00:00.000000Z\n"));
  CHECK_THAT(expected, Catch::Contains("sha-north: north n1 n2\n"));
  CHECK_THAT(expected, Catch::EndsWith("revoke 10\nfind after 0\n"));

  FreshDatabase database("engine_tokens");
  test::load_csv(*open_store_engine(database.url()), Dataset::tags, tags);
  PgTokens postgresql_tokens(database.url());
  CHECK(exercise_tokens(postgresql_tokens) == expected);
}

namespace {

// Webhooks through the interface, every outcome written down.
std::string exercise_webhooks(Webhooks& webhooks) {
  std::ostringstream out;
  const Instant at = test::at("2023-01-25 18:00:00");
  const auto webhook = [&at](const std::string& url) {
    Webhook made;
    made.url = url;
    made.secret = "0123456789abcdef";
    made.created = at;
    return made;
  };
  const auto create = [&](const Webhook& made) {
    try {
      const std::int64_t id = webhooks.create(made);
      out << "created " << id << "\n";
    } catch (const InvalidInput& error) {
      out << "invalid: " << error.what() << "\n";
    }
  };
  create(webhook("http://127.0.0.1:9/all"));
  Webhook recoveries = webhook("https://example.com/recoveries?team=ops");
  recoveries.events = {AlertType::heard, AlertType::recovered};
  recoveries.format = WebhookFormat::slack;
  create(recoveries);
  Webhook listed = webhook("http://127.0.0.1:9/b");
  listed.stores = {"b", "a", "b"};
  create(listed);
  Webhook tagged = webhook("http://127.0.0.1:9/north");
  tagged.tag = "north";
  create(tagged);
  create(webhook("ftp://example.com/"));
  Webhook short_secret = webhook("http://example.com/");
  short_secret.secret = "short";
  create(short_secret);
  Webhook both = listed;
  both.tag = "north";
  create(both);
  const auto list = [&] {
    for (const Webhook& kept : webhooks.list()) {
      out << kept.id << " " << kept.url << " " << kept.secret << " "
          << webhook_format_name(kept.format) << " [" << kept.tag << "] "
          << format_timestamp(kept.created) << ":";
      for (const AlertType type : kept.events) out << " " << alert_type_name(type);
      out << " /";
      for (const std::string& store : kept.stores) out << " " << store;
      out << "\n";
    }
  };
  list();
  out << "remove " << webhooks.remove(1) << webhooks.remove(1) << webhooks.remove(99) << "\n";
  list();
  return out.str();
}

}  // namespace

TEST_CASE("PostgreSQL: webhooks as SQLite keeps them", "[postgresql]") {
  TempDir dir;
  SharedConnection sqlite(dir.file("u.db"));
  SqliteWebhooks sqlite_webhooks(sqlite, sqlite);
  const std::string expected = exercise_webhooks(sqlite_webhooks);
  // Checked on its own, so that both engines cannot be wrong alike.
  CHECK_THAT(expected, Catch::StartsWith("created 1\ncreated 2\ncreated 3\ncreated 4\ninvalid"));
  CHECK_THAT(expected,
             Catch::Contains("2 https://example.com/recoveries?team=ops 0123456789abcdef slack [] "
                             "2023-01-25T18:00:00.000000Z: store.recovered store.heard /\n"
                             "3 http://127.0.0.1:9/b 0123456789abcdef json [] "
                             "2023-01-25T18:00:00.000000Z: store.down store.recovered "
                             "store.silent store.heard / a b\n"));
  CHECK_THAT(expected, Catch::Contains("remove 100\n2 https"));

  FreshDatabase database("engine_webhooks");
  PgWebhooks postgresql_webhooks(database.url());
  CHECK(exercise_webhooks(postgresql_webhooks) == expected);
}

TEST_CASE("PostgreSQL: a connection the server closed is opened again, a transaction not resumed",
          "[postgresql]") {
  FreshDatabase database("engine_reconnect");
  PgTokens tokens(database.url());
  const Instant at = test::at("2023-01-25 18:00:00");
  tokens.create({"ops", Role::admin, {}, "", at}, "sha-ops");
  PgConnection admin(database.url());
  const auto close_others = [&] {
    // Waits (up to 5 s) until the other connections are gone.
    admin.exec(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  };
  // Closed between calls: the call that finds it closed fails, the next works
  // on a new connection, and what was committed is there.
  close_others();
  CHECK_THROWS_WITH(tokens.list(), Catch::Contains("a command failed"));
  REQUIRE(tokens.list().size() == 1);
  tokens.create({"after", Role::reader, {}, "", at}, "sha-after");
  CHECK(tokens.list().size() == 2);

  // Closed inside a transaction: the transaction's next command is refused,
  // not run alone on a new connection; its rollback is fine.
  PgConnection db(database.url());
  {
    PgTransaction transaction(db);
    db.exec("DELETE FROM tokens");
    close_others();
    CHECK_THROWS(db.exec("SELECT 1"));  // found closed
    CHECK_THROWS_WITH(db.exec("DELETE FROM token_stores"),
                      Catch::Contains("lost inside a transaction"));
  }  // the rollback, on a new connection
  CHECK(db.exec("SELECT count(*) FROM tokens").int64(0, 0) == 2);
}

TEST_CASE("PostgreSQL: an input rejected whole writes nothing, and no polls is an error",
          "[postgresql]") {
  FreshDatabase database("engine_rejected");
  const auto postgresql = open_store_engine(database.url());
  const ImportSummary summary = test::load_csv(
      *postgresql, Dataset::polls, "store_id,timestamp_utc\na,2023-01-24 10:00:00 UTC\n");
  CHECK(summary.error == "input.csv:1: header lacks the required column 'status'");
  ReportOptions options;
  CHECK_THROWS_WITH(test::report_csv(*postgresql, options), Catch::Contains("holds no polls"));
}

TEST_CASE("PostgreSQL: another database on the same server", "[postgresql]") {
  CHECK(with_database("postgresql:///uptime?host=/tmp/x&port=5432", "other") ==
        "postgresql:///other?host=/tmp/x&port=5432");
  CHECK(with_database("postgresql://u:pw@db.example.com:5433/uptime", "other") ==
        "postgresql://u:pw@db.example.com:5433/other");
  CHECK(with_database("postgres://db.example.com", "other") == "postgres://db.example.com/other");
  CHECK(with_database("postgresql://db.example.com?sslmode=require", "other") ==
        "postgresql://db.example.com/other?sslmode=require");
}

TEST_CASE("PostgreSQL: errors say where, never the password", "[postgresql]") {
  try {
    PgConnection("postgresql://someone:s3cret-pw@127.0.0.1:1/uptime");
    FAIL("connected to nothing");
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    CHECK_THAT(message, Catch::StartsWith("cannot connect to PostgreSQL at 127.0.0.1:1/uptime: "));
    CHECK(message.find("s3cret-pw") == std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
  CHECK_THROWS_WITH(
      PgConnection("postgresql://u:s3cret-pw@[bad"),
      Catch::StartsWith("PostgreSQL URL is not valid") && !Catch::Contains("s3cret-pw"));
  FreshDatabase database("engine_schema");
  {
    const auto engine = open_store_engine(database.url());  // migrates
  }
  PgConnection db(database.url());
  db.exec("UPDATE schema_version SET version = 999");
  CHECK_THROWS_WITH(open_store_engine(database.url()), Catch::Contains("newer than this binary"));
}
