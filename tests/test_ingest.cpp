// Import into the database (rules §1): counts, bad rows by line, whole-file
// rejection, one transaction per input, idempotency, replace semantics.
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "storage/embedded_sql.hpp"
#include "support.hpp"

using test::import_text;
using test::TempDir;

namespace {

std::int64_t count(Database& db, const std::string& query) {
  return db.sql().execAndGet(query).getInt64();
}

std::string zone_of(Database& db, const std::string& store_id) {
  SQLite::Statement query(db.sql(), "SELECT coalesce(timezone, '') FROM stores WHERE store_id = ?");
  query.bind(1, store_id);
  REQUIRE(query.executeStep());
  return query.getColumn(0).getString();
}

std::int64_t hours_rows(Database& db, const std::string& store_id) {
  SQLite::Statement query(db.sql(),
                          "SELECT count(*) FROM business_hours h JOIN stores s ON s.id = h.store "
                          "WHERE s.store_id = ?");
  query.bind(1, store_id);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

const char* kPolls =
    "store_id,status,timestamp_utc\n"
    "s1,active,2023-01-22 12:00:00 UTC\n"
    "s1,inactive,2023-01-22 13:00:00 UTC\n"
    "s2,ACTIVE,2023-01-22T12:00:00Z\n";

}  // namespace

TEST_CASE("the schema is created and versioned", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  CHECK(db.schema_version() == Database::latest_schema_version());
  CHECK(db.schema_version() == static_cast<int>(sql::migrations().size()));
  CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
  // Opening again applies nothing twice.
  Database again(dir.file("u.db"));
  CHECK(again.schema_version() == Database::latest_schema_version());
}

TEST_CASE("a database from a newer binary is refused", "[ingest]") {
  TempDir dir;
  {
    Database db(dir.file("u.db"));
    db.sql().exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_WITH(Database(dir.file("u.db")), Catch::Contains("newer"));
}

TEST_CASE("a database that names no file is refused", "[ingest]") {
  // Imports and reports open further connections by path: each would see an
  // empty in-memory database of its own.
  for (const char* path : {"", ":memory:", "file::memory:"}) {
    CHECK_THROWS_WITH(Database(path), Catch::Contains("not a file"));
  }
}

TEST_CASE("polls load, with counts", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary = import_text(db, Dataset::polls, kPolls);
  CHECK(summary.ok());
  CHECK(summary.rows_read == 3);
  CHECK(summary.loaded == 3);
  CHECK(summary.rejected == 0);
  CHECK(count_polls(db) == 3);
  CHECK(count(db, "SELECT count(*) FROM stores") == 2);
}

TEST_CASE("importing the same polls again changes nothing", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  import_text(db, Dataset::polls, kPolls);
  auto again = import_text(db, Dataset::polls, kPolls);
  CHECK(again.loaded == 0);
  CHECK(again.duplicates == 3);
  CHECK(again.conflicts == 0);
  CHECK(count_polls(db) == 3);
  CHECK(count(db, "SELECT count(*) FROM polls") == 3);
}

TEST_CASE("the same instant in another form is the same poll, a status clash is a conflict",
          "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary = import_text(db, Dataset::polls,
                             "store_id,status,timestamp_utc\n"
                             "s1,active,2023-01-22 12:00:00 UTC\n"
                             "s1,active,2023-01-22T12:00:00.000000+00:00\n"  // duplicate
                             "s1,inactive,2023-01-22T12:00:00Z\n"            // conflict: first wins
                             "s1,active,2023-01-22 12:00:00.000001\n");      // another instant
  CHECK(summary.loaded == 2);
  CHECK(summary.duplicates == 1);
  CHECK(summary.conflicts == 1);
  CHECK(count(db, "SELECT active FROM polls ORDER BY at_us LIMIT 1") == 1);

  // Against the database too: the poll already kept wins.
  auto later = import_text(db, Dataset::polls,
                           "store_id,status,timestamp_utc\ns1,inactive,2023-01-22 12:00:00\n");
  CHECK(later.conflicts == 1);
  CHECK(count(db, "SELECT active FROM polls ORDER BY at_us LIMIT 1") == 1);
}

TEST_CASE("bad rows are rejected with file, line and reason, good rows load", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary = import_text(db, Dataset::polls,
                             "store_id,status,timestamp_utc\n"
                             "s1,active,2023-01-22 12:00:00\n"
                             "s1,maybe,2023-01-22 13:00:00\n"
                             "\n"
                             "s1,active,2023-01-22 25:00:00\n"
                             ",active,2023-01-22 14:00:00\n"
                             "s1,active\n"
                             "s1,inactive,2023-01-22 15:00:00\n",
                             "store_status.csv");
  CHECK(summary.ok());
  CHECK(summary.rows_read == 6);
  CHECK(summary.loaded == 2);
  CHECK(summary.rejected == 4);
  REQUIRE(summary.first_rejections.size() == 4);
  CHECK_THAT(summary.first_rejections[0], Catch::StartsWith("store_status.csv:3: status"));
  CHECK_THAT(summary.first_rejections[1],
             Catch::StartsWith("store_status.csv:5: bad timestamp_utc"));
  CHECK_THAT(summary.first_rejections[2], Catch::StartsWith("store_status.csv:6: empty store_id"));
  CHECK_THAT(summary.first_rejections[3],
             Catch::StartsWith("store_status.csv:7: expected at least 3 fields"));
  CHECK(count_polls(db) == 2);
}

TEST_CASE("only the first ten rejections are listed, all are counted", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  std::string csv = "store_id,status,timestamp_utc\n";
  for (int i = 0; i < 25; ++i) csv += "s,bad,2023-01-22 12:00:00\n";
  auto summary = import_text(db, Dataset::polls, csv);
  CHECK(summary.rejected == 25);
  CHECK(summary.first_rejections.size() == kRejectionsListed);
}

TEST_CASE("a header without a required column rejects the file whole", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary = import_text(db, Dataset::polls,
                             "store_id,state,timestamp_utc\ns1,active,2023-01-22 12:00:00\n",
                             "store_status.csv");
  CHECK_FALSE(summary.ok());
  CHECK_THAT(summary.error, Catch::Contains("store_status.csv:1") && Catch::Contains("'status'"));
  CHECK(summary.rows_read == 0);
  CHECK(count(db, "SELECT count(*) FROM stores") == 0);
  CHECK_FALSE(import_text(db, Dataset::hours, "").ok());
}

TEST_CASE("an input that fails half-way leaves the database as it was", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  import_text(db, Dataset::polls, kPolls);
  const auto generation = count(db, "SELECT generation FROM data_state");

  // A source that yields a header and two good rows, then fails (as a broken
  // stream or a full disk would): none of its rows may remain.
  int calls = 0;
  RowSource failing = [&](std::vector<std::string>& fields, std::size_t& line,
                          std::string& malformed) {
    malformed.clear();
    line = static_cast<std::size_t>(++calls);
    if (calls == 1) fields = {"store_id", "status", "timestamp_utc"};
    if (calls == 2) fields = {"new_store", "active", "2023-01-23 12:00:00"};
    if (calls == 3) fields = {"s1", "active", "2023-01-23 12:00:00"};
    if (calls == 4) throw std::runtime_error("read error");
    return true;
  };
  CHECK_THROWS_WITH(ingest_rows(db, Dataset::polls, "broken", failing), "read error");
  CHECK(count(db, "SELECT count(*) FROM polls") == 3);
  CHECK(count(db, "SELECT count(*) FROM stores WHERE store_id = 'new_store'") == 0);
  CHECK(count(db, "SELECT generation FROM data_state") == generation);
  CHECK(count_polls(db) == 3);
}

TEST_CASE("hours: a later import replaces a store's rows, other stores keep theirs", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  import_text(db, Dataset::hours,
              "store_id,dayOfWeek,start_time_local,end_time_local\n"
              "a,0,09:00,17:00\na,1,09:00,17:00\nb,0,10:00,12:00\n");
  CHECK(hours_rows(db, "a") == 2);
  auto summary = import_text(db, Dataset::hours,
                             "store_id,day,start_time_local,end_time_local\na,3,08:00,09:00\n");
  CHECK(summary.loaded == 1);
  CHECK(hours_rows(db, "a") == 1);
  CHECK(hours_rows(db, "b") == 1);
  CHECK(count(db,
              "SELECT day FROM business_hours h JOIN stores s ON s.id = h.store "
              "WHERE s.store_id = 'a'") == 3);
}

TEST_CASE("hours: many rows at once replace old ones; a row given twice is kept once", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // 150 stores × 2 rows (written 100 to a statement), then again for the
  // even stores with other hours and one row twice.
  std::string first = "store_id,dayOfWeek,start_time_local,end_time_local\n";
  std::string second = first;
  for (int store = 0; store < 150; ++store) {
    const std::string id = "s" + std::to_string(store);
    first += id + ",0,09:00,12:00\n" + id + ",1,09:00,12:00\n";
    if (store % 2 == 0) second += id + ",4,10:00,11:00\n";
  }
  second += "s0,4,10:00,11:00\n";
  CHECK(import_text(db, Dataset::hours, first).loaded == 300);
  CHECK(count(db, "SELECT count(*) FROM business_hours") == 300);
  CHECK(import_text(db, Dataset::hours, second).loaded == 76);
  CHECK(count(db, "SELECT count(*) FROM business_hours") == 75 + 75 * 2);
  CHECK(hours_rows(db, "s0") == 1);
  CHECK(hours_rows(db, "s1") == 2);
  CHECK(hours_rows(db, "s148") == 1);
}

TEST_CASE("hours: within one file all valid rows of a store form its hours", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary =
      import_text(db, Dataset::hours,
                  "store_id,dayOfWeek,start_time_local,end_time_local\n"
                  "a,0,09:00,12:00\nb,0,09:00,12:00\na,0,13:00,17:00\na,9,13:00,17:00\n");
  CHECK(summary.loaded == 3);
  CHECK(summary.rejected == 1);
  CHECK(hours_rows(db, "a") == 2);
}

TEST_CASE("zones: the last valid row wins, unknown zones are bad rows", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary = import_text(db, Dataset::zones,
                             "store_id,timezone_str\n"
                             "a,America/Denver\n"
                             "a,Asia/Kolkata\n"
                             "a,Nowhere/Special\n"
                             "b,US/Eastern\n",
                             "timezones.csv");
  CHECK(summary.loaded == 3);
  CHECK(summary.rejected == 1);
  REQUIRE(summary.first_rejections.size() == 1);
  CHECK_THAT(summary.first_rejections[0],
             Catch::Equals("timezones.csv:4: unknown time zone 'Nowhere/Special'"));
  CHECK(zone_of(db, "a") == "Asia/Kolkata");
  CHECK(zone_of(db, "b") == "US/Eastern");
  // A later import replaces the zone.
  import_text(db, Dataset::zones, "store_id,timezone_str\na,Europe/Dublin\n");
  CHECK(zone_of(db, "a") == "Europe/Dublin");
}

TEST_CASE("store ids are kept exactly as written", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  import_text(db, Dataset::polls,
              "store_id,status,timestamp_utc\n"
              "\"a,b \"\"c\"\"\",active,2023-01-22 12:00:00\n"
              "'; DROP TABLE polls; --,active,2023-01-22 12:00:00\n"
              "8419537941919820732,active,2023-01-22 12:00:00\n"
              "08419537941919820732,active,2023-01-22 12:00:00\n");
  CHECK(count(db, "SELECT count(*) FROM stores") == 4);
  CHECK(count(db, "SELECT count(*) FROM stores WHERE store_id = 'a,b \"c\"'") == 1);
  CHECK(count(db, "SELECT count(*) FROM stores WHERE store_id = '''; DROP TABLE polls; --'") == 1);
}

TEST_CASE("a folder import loads the files present, none present is an error", "[ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  dir.write("store_status.csv", kPolls);
  auto summaries = import_directory(db, dir.path().string());
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].source == "store_status.csv");
  TempDir empty;
  CHECK_THROWS_WITH(import_directory(db, empty.path().string()), Catch::Contains("holds none"));
  CHECK_THROWS_WITH(import_directory(db, dir.file("missing")), Catch::Contains("does not exist"));
}

TEST_CASE("the real loop sample loads every row with no rejection", "[ingest][fixtures]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summaries = import_directory(db, test::fixtures() + "/loop-sample");
  REQUIRE(summaries.size() == 3);
  for (const auto& summary : summaries) {
    INFO(summary.text());
    CHECK(summary.ok());
    CHECK(summary.rejected == 0);
    CHECK(summary.loaded + summary.duplicates + summary.conflicts == summary.rows_read);
  }
  CHECK(summaries[0].rows_read == 13559);  // timezones.csv
  CHECK(summaries[1].rows_read == 86198);  // menu_hours.csv, with a `day` header
  CHECK(count(db, "SELECT count(*) FROM business_hours") == 86198);
}

TEST_CASE("JSON rows: same fields and rules as CSV, numbered by position", "[ingest][json]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto summary = ingest_json(db, Dataset::polls, "body",
                             R"([{"store_id": 8419537941919820732, "STATUS": "Active",
                                  "timestamp_utc": "2023-01-22 12:00:00 UTC", "extra": [1]},
                                 {"store_id": "s2", "timestamp_utc": "2023-01-22 12:00:00"},
                                 "not an object",
                                 {"store_id": "s3", "status": true, "timestamp_utc": "2023-01-22 12:00:00"},
                                 {"store_id": "s4", "status": "maybe", "timestamp_utc": "2023-01-22 12:00:00"}])");
  CHECK(summary.ok());
  CHECK(summary.rows_read == 5);
  CHECK(summary.loaded == 1);
  CHECK(summary.rejected == 4);
  REQUIRE(summary.first_rejections.size() == 4);
  CHECK(summary.first_rejections[0] == "body:2: missing field 'status'");
  CHECK(summary.first_rejections[1] == "body:3: not a JSON object");
  CHECK_THAT(summary.first_rejections[2], Catch::StartsWith("body:4: field 'status' must be"));
  CHECK_THAT(summary.first_rejections[3], Catch::StartsWith("body:5: status must be"));
  // Integer store ids keep every digit.
  CHECK(count(db, "SELECT count(*) FROM stores WHERE store_id = '8419537941919820732'") == 1);
}

TEST_CASE("JSON hours and zones load and replace like CSV", "[ingest][json]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  auto hours = ingest_json(db, Dataset::hours, "body",
                           R"([{"store_id": "a", "day": 1, "start_time_local": "09:00",
                                "end_time_local": "17:00"}])");
  CHECK(hours.loaded == 1);
  CHECK(hours_rows(db, "a") == 1);
  auto zones = ingest_json(db, Dataset::zones, "body",
                           R"([{"store_id": "a", "timezone_str": "Asia/Beirut"}])");
  CHECK(zones.loaded == 1);
  CHECK(zone_of(db, "a") == "Asia/Beirut");
}

TEST_CASE("JSON that is not a non-empty array of rows is rejected whole", "[ingest][json]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // 1e99999 overflows a double: nlohmann reports it as out_of_range, not a
  // parse error (found by fuzz_json_ingest).
  for (const char* body : {"", "{", "{\"store_id\": \"a\"}", "[]", "42",
                           "[{\"store_id\": \"a\", \"status\": 1e99999}]"}) {
    INFO(body);
    auto summary = ingest_json(db, Dataset::polls, "body", body);
    CHECK_FALSE(summary.ok());
  }
  auto missing =
      ingest_json(db, Dataset::polls, "body", R"([{"store_id": "a", "status": "active"}])");
  CHECK(missing.error == "no object has the required field 'timestamp_utc'");
  CHECK(count(db, "SELECT count(*) FROM stores") == 0);
}

TEST_CASE("an older schema is upgraded in place on open", "[ingest]") {
  TempDir dir;
  {
    // A database as version 2 of the schema left it: its first two
    // migrations only (hours indexed by store only, reports without rows).
    SQLite::Database raw(dir.file("u.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const auto& file : sql::migrations()) {
      if (std::atoi(file.name) <= 2) raw.exec(file.text);
    }
    raw.exec("PRAGMA user_version = 2");
    raw.exec("INSERT INTO stores (id, store_id) VALUES (1, 'a')");
    // The same row twice, as version 2 allowed.
    for (int i = 0; i < 2; ++i) {
      raw.exec(
          "INSERT INTO business_hours (store, day, start_s, end_s) VALUES (1, 0, 32400, 61200)");
    }
  }
  Database upgraded(dir.file("u.db"));
  CHECK(upgraded.schema_version() == Database::latest_schema_version());
  // Hours are keyed by all their columns now, with no index beside the table.
  CHECK(upgraded.sql()
            .execAndGet("SELECT sql FROM sqlite_master WHERE name = 'business_hours'")
            .getString()
            .find("WITHOUT ROWID") != std::string::npos);
  CHECK(count(upgraded,
              "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
              "AND tbl_name = 'business_hours'") == 0);
  CHECK(hours_rows(upgraded, "a") == 1);
}

TEST_CASE("polls older and newer than a store's latest mix correctly", "[ingest]") {
  // New polls (after the store's latest) take the many-rows path; older ones
  // are checked one by one. Both must count and land right.
  TempDir dir;
  Database db(dir.file("u.db"));
  import_text(db, Dataset::polls,
              "store_id,status,timestamp_utc\n"
              "s,active,2023-01-22 10:00:00\n"
              "s,active,2023-01-22 12:00:00\n");
  auto summary = import_text(db, Dataset::polls,
                             "store_id,status,timestamp_utc\n"
                             "s,active,2023-01-22 13:00:00\n"    // new
                             "s,inactive,2023-01-22 11:00:00\n"  // older, fills a gap
                             "s,active,2023-01-22 10:00:00\n"    // duplicate
                             "s,inactive,2023-01-22 12:00:00\n"  // conflict
                             "t,active,2023-01-22 09:00:00\n");  // a new store
  CHECK(summary.loaded == 3);
  CHECK(summary.duplicates == 1);
  CHECK(summary.conflicts == 1);
  CHECK(count(db, "SELECT count(*) FROM polls") == 5);
  CHECK(count_polls(db) == 5);
  CHECK(count(db, "SELECT latest_poll_us FROM stores WHERE store_id = 's'") ==
        to_micros(test::at("2023-01-22 13:00:00")));
  CHECK(count(db, "SELECT latest_poll_us FROM stores WHERE store_id = 't'") ==
        to_micros(test::at("2023-01-22 09:00:00")));
}

TEST_CASE("duplicates and conflicts among the repeats of one file", "[ingest]") {
  // 30,000 distinct polls, then the first 1,000 again with the same status
  // and the next 1,000 with the other status. (Repeats across write batches
  // and runs: test_poll_writer.cpp.)
  TempDir dir;
  Database db(dir.file("u.db"));
  std::string csv = "store_id,status,timestamp_utc\n";
  auto row = [](int i, bool active) {
    const Instant at = test::at("2023-01-01 00:00:00") + std::chrono::seconds{i};
    return "store_" + std::to_string(i % 97) + (active ? ",active," : ",inactive,") +
           format_timestamp(at) + "\n";
  };
  for (int i = 0; i < 30000; ++i) csv += row(i, i % 3 != 0);
  for (int i = 0; i < 1000; ++i) csv += row(i, i % 3 != 0);
  for (int i = 1000; i < 2000; ++i) csv += row(i, i % 3 == 0);
  auto summary = import_text(db, Dataset::polls, csv);
  CHECK(summary.rows_read == 32000);
  CHECK(summary.loaded == 30000);
  CHECK(summary.duplicates == 1000);
  CHECK(summary.conflicts == 1000);
  CHECK(count(db, "SELECT count(*) FROM polls") == 30000);
  // The first status stayed.
  CHECK(count(db, "SELECT sum(active) FROM polls") == 20000);
}

TEST_CASE("a shuffled re-import: known polls skipped many at a time, counted exactly", "[ingest]") {
  // 2,000 polls of 20 stores, then, in random order, the same 2,000 (one in
  // four with the other status), 1,500 new ones between them (older than
  // each store's latest) and 500 after them. Known polls come in statements
  // of many rows that skip them; only statements that skipped any are looked
  // at poll by poll.
  TempDir dir;
  Database db(dir.file("u.db"));
  const auto row = [](int store, int minute, bool active) {
    const Instant at = test::at("2023-01-01 00:00:00") + std::chrono::minutes{minute};
    return "store_" + std::to_string(store) + (active ? ",active," : ",inactive,") +
           format_timestamp(at) + "\n";
  };
  std::string first = "store_id,status,timestamp_utc\n";
  std::vector<std::string> second;
  for (int store = 0; store < 20; ++store) {
    for (int i = 0; i < 100; ++i) {
      first += row(store, i * 10, i % 2 == 0);
      second.push_back(row(store, i * 10, (i % 2 == 0) != (i % 4 == 1)));
      if (i < 75) second.push_back(row(store, i * 10 + 5, true));
      if (i < 25) second.push_back(row(store, 2000 + i, false));
    }
  }
  import_text(db, Dataset::polls, first);
  std::mt19937 random(7);
  std::shuffle(second.begin(), second.end(), random);
  std::string csv = "store_id,status,timestamp_utc\n";
  for (const std::string& line : second) csv += line;
  const auto summary = import_text(db, Dataset::polls, csv);
  CHECK(summary.rows_read == 4000);
  CHECK(summary.loaded == 2000);
  CHECK(summary.duplicates == 1500);
  CHECK(summary.conflicts == 500);
  CHECK(count(db, "SELECT count(*) FROM polls") == 4000);
  CHECK(count_polls(db) == 4000);
  // The first status stayed: 1,000 active of the first import, 1,500 new active.
  CHECK(count(db, "SELECT sum(active) FROM polls") == 2500);
  CHECK(count(db, "SELECT max(latest_poll_us) FROM stores") ==
        to_micros(test::at("2023-01-01 00:00:00") + std::chrono::minutes{2024}));
}
