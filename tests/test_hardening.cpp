// What a hostile or careless client must not be able to do to the data:
// bodies that blow up a parser, ids that are not text, polls from the far
// future, backups and reports that pile up, outcomes lost to a full disk, and
// a write-ahead log that grows without end.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <thread>

#include "server/report_jobs.hpp"
#include "storage/backup.hpp"
#include "storage/retention.hpp"
#include "storage/rollups.hpp"
#include "storage/wal_keeper.hpp"
#include "support.hpp"

using test::at;
using test::import_text;
using test::TempDir;

TEST_CASE("JSON nested past 64 levels is refused without building it", "[hardening][json]") {
  // 8 MB of '[': a document tree would take gigabytes.
  const JsonRows deep = read_json_rows(Dataset::polls, std::string(8 << 20, '['));
  CHECK(deep.error == "JSON nested deeper than 64 levels");
  CHECK(deep.rows.empty());
  // Nesting inside an ignored field counts too, and 64 levels are fine.
  std::string fine =
      "[{\"store_id\": \"a\", \"status\": \"active\", \"timestamp_utc\": "
      "\"2023-01-22 12:00:00\", \"extra\": " +
      std::string(62, '[') + std::string(62, ']') + "}]";
  CHECK(read_json_rows(Dataset::polls, fine).error.empty());
  std::string too_deep = fine;
  too_deep.replace(too_deep.find("[["), 2, "[[[");
  too_deep.replace(too_deep.find("]]"), 2, "]]]");
  CHECK(read_json_rows(Dataset::polls, too_deep).error == "JSON nested deeper than 64 levels");
}

TEST_CASE("JSON rows keep only column names, however many keys they have", "[hardening][json]") {
  // 120,000 keys in one object, and 20,000 rows each with a key of its own:
  // neither grows the header (the cause of a 41 s stall before).
  std::string one =
      "[{\"store_id\": \"a\", \"status\": \"active\", \"timestamp_utc\": "
      "\"2023-01-22 12:00:00\"";
  for (int i = 0; i < 120000; ++i) one += ", \"k" + std::to_string(i) + "\": 1";
  one += "}]";
  const JsonRows wide = read_json_rows(Dataset::polls, one);
  CHECK(wide.error.empty());
  CHECK(wide.header == std::vector<std::string>{"store_id", "status", "timestamp_utc"});
  REQUIRE(wide.rows.size() == 1);
  CHECK(wide.rows[0].values.size() == 3);

  std::string many = "[";
  for (int i = 0; i < 20000; ++i) {
    many += std::string(i ? "," : "") + "{\"store_id\": \"s" + std::to_string(i) +
            "\", \"status\": \"active\", \"timestamp_utc\": \"2023-01-22 12:00:00\", \"own" +
            std::to_string(i) + "\": 1}";
  }
  many += "]";
  TempDir dir;
  Database db(dir.file("u.db"));
  const ImportSummary summary = ingest_json(db, Dataset::polls, "body", many);
  CHECK(summary.loaded == 20000);
  CHECK(summary.rejected == 0);
}

TEST_CASE("store ids that are not UTF-8 are bad rows, in CSV and JSON", "[hardening]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const ImportSummary csv = import_text(db, Dataset::polls,
                                        "store_id,status,timestamp_utc\n"
                                        "ok,active,2023-01-22 12:00:00\n"
                                        "bad\xff,active,2023-01-22 12:00:00\n",
                                        "body");
  CHECK(csv.loaded == 1);
  REQUIRE(csv.first_rejections.size() == 1);
  CHECK(csv.first_rejections[0] == "body:3: store_id is not valid UTF-8 text");
  // JSON cannot carry them: raw or as an escaped lone surrogate, the body is
  // not valid JSON and is refused whole.
  for (const char* id : {"x\xff", "x\\ud800"}) {
    const ImportSummary json =
        ingest_json(db, Dataset::polls, "body",
                    std::string(R"([{"store_id": ")") + id +
                        R"(", "status": "active", "timestamp_utc": "2023-01-22 12:00:00"}])");
    CHECK_THAT(json.error, Catch::StartsWith("not valid JSON"));
  }
  CHECK(test::scalar(db, "SELECT count(*) FROM stores") == 1);
}

TEST_CASE("polls later than the clock allows are bad rows", "[hardening]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const IngestRules rules = IngestRules::for_clock(std::chrono::hours{1});
  std::istringstream csv(
      "store_id,status,timestamp_utc\n"
      "a,active,2023-01-22 12:00:00\n"
      "typo,active,9999-12-31 23:59:59\n");
  const ImportSummary summary = ingest_csv(db, Dataset::polls, "body", csv, {}, rules);
  CHECK(summary.loaded == 1);
  REQUIRE(summary.first_rejections.size() == 1);
  CHECK_THAT(summary.first_rejections[0],
             Catch::StartsWith("body:3: timestamp_utc 9999-12-31T23:59:59.000000Z is later than "
                               "the server's clock allows"));
  // Within the bound is fine.
  const Instant soon =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()) +
      std::chrono::minutes{30};
  std::istringstream near("store_id,status,timestamp_utc\na,active," + format_timestamp(soon) +
                          "\n");
  CHECK(ingest_csv(db, Dataset::polls, "body", near, {}, rules).loaded == 1);
}

TEST_CASE("deleting a store's polls in a range keeps counts and its latest poll right",
          "[hardening]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  import_text(db, Dataset::polls,
              "store_id,status,timestamp_utc\n"
              "a,active,2023-01-22 10:00:00\n"
              "a,active,2023-01-22 11:00:00\n"
              "a,active,2999-01-01 00:00:00\n"
              "b,active,2023-01-22 10:00:00\n");
  CHECK(delete_store_polls(db, "nobody", std::nullopt, std::nullopt) == std::nullopt);
  CHECK(delete_store_polls(db, "a", at("2100-01-01 00:00:00"), std::nullopt) == 1u);
  CHECK(count_polls(db) == 3);
  CHECK(test::scalar(db, "SELECT latest_poll_us FROM stores WHERE store_id = 'a'") ==
        to_micros(at("2023-01-22 11:00:00")));
  CHECK(delete_store_polls(db, "a", std::nullopt, at("2023-01-22 11:00:00")) == 1u);
  CHECK(count_polls(db) == 2);
  CHECK(test::scalar(db, "SELECT count(*) FROM polls") == 2);
}

TEST_CASE("retention's line never passes the clock", "[hardening][retention]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const Instant now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::string csv = "store_id,status,timestamp_utc\n";
  for (int day = 0; day < 20; ++day) {
    csv += "a,active," + format_timestamp(now - date::days{day} + std::chrono::hours{1}) + "\n";
  }
  csv += "typo,active,9999-12-31T23:59:59Z\n";
  import_text(db, Dataset::polls, csv);
  roll_up_all(db, StatusRules(Interpolation::nearest));
  // Ten days are kept from the clock, not from year 9999: the polls before
  // the last one at or before the local midnight starting the line's date
  // go, those of 12 to 19 days ago (13 to 19 when the line falls in the last
  // hour of its date); from year 9999, all but the newest two would.
  const std::size_t deleted = apply_retention(db, RetentionSettings{0, 10}).polls_deleted;
  CHECK(deleted >= 7);
  CHECK(deleted <= 8);
}

TEST_CASE("old backups beyond the newest N are removed, newest kept", "[hardening][backup]") {
  TempDir dir;
  for (const char* name :
       {"uptime-monitor-20230125T180000Z.db", "uptime-monitor-20230125T180000Z-2.db",
        "uptime-monitor-20230125T180000Z-10.db", "uptime-monitor-20230126T000000Z.db",
        "uptime-monitor-20230124T000000Z.db", "unrelated.db"}) {
    dir.write(name, "x");
  }
  CHECK(remove_old_backups(dir.path().string(), 3) == 2);
  namespace fs = std::filesystem;
  CHECK(fs::exists(dir.path() / "uptime-monitor-20230126T000000Z.db"));
  CHECK(fs::exists(dir.path() / "uptime-monitor-20230125T180000Z-10.db"));
  CHECK(fs::exists(dir.path() / "uptime-monitor-20230125T180000Z-2.db"));
  CHECK_FALSE(fs::exists(dir.path() / "uptime-monitor-20230125T180000Z.db"));
  CHECK_FALSE(fs::exists(dir.path() / "uptime-monitor-20230124T000000Z.db"));
  CHECK(fs::exists(dir.path() / "unrelated.db"));
}

TEST_CASE("a report whose outcome cannot be written is kept, served and written later",
          "[hardening][reports]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  import_text(db, Dataset::polls, "store_id,status,timestamp_utc\na,active,2023-01-22 12:00:00\n");
  // As a full disk would: every write of an outcome fails.
  db.sql().exec(
      "CREATE TRIGGER refuse_outcomes BEFORE UPDATE OF status ON reports "
      "WHEN NEW.status IN ('Complete', 'Failed') BEGIN SELECT RAISE(FAIL, 'disk is full'); END");
  ReportJobs jobs(path, 1, 4);
  const std::string id = jobs.submit(ReportOptions{}).value();
  std::optional<ReportState> state;
  for (int i = 0; i < 500; ++i) {
    state = jobs.find(id, ReportPart::csv);
    if (state && state->status == ReportStatus::complete) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  REQUIRE(state);
  CHECK(state->status == ReportStatus::complete);  // from memory: the table still says Running
  CHECK(state->csv.value().rfind("store_id,", 0) == 0);
  CHECK(jobs.list(10, std::nullopt).at(0).status == ReportStatus::complete);
  const auto stored_status = [&] {
    SQLite::Statement query(db.sql(), "SELECT status FROM reports WHERE id = ?");
    query.bind(1, id);
    query.executeStep();
    return query.getColumn(0).getString();
  };
  CHECK(stored_status() == "Running");
  // Space again: the worker writes it within a few seconds.
  db.sql().exec("DROP TRIGGER refuse_outcomes");
  for (int i = 0; i < 1000 && stored_status() != "Complete"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  CHECK(stored_status() == "Complete");
  CHECK(jobs.find(id, ReportPart::csv)->csv == state->csv);
}

TEST_CASE("the write-ahead log is emptied past its bound even while readers come and go",
          "[hardening][wal]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  db.sql().exec("CREATE TABLE filler (x BLOB)");
  WalKeeper keeper(path, 1 << 20, std::chrono::hours{1});  // checked by hand below
  Database reader(path, Database::Access::read_only);
  std::atomic<bool> stop{false};
  // A reader that always has a snapshot open, each for a short while.
  std::thread readers([&] {
    while (!stop) {
      SQLite::Transaction hold(reader.sql());
      reader.sql().execAndGet("SELECT count(*) FROM filler");
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
      hold.commit();
    }
  });
  for (int i = 0; i < 200; ++i) {
    SQLite::Statement insert(db.sql(), "INSERT INTO filler VALUES (zeroblob(20000))");
    insert.exec();
  }
  const auto wal_bytes = [&] { return std::filesystem::file_size(path + "-wal"); };
  CHECK(wal_bytes() > (1u << 20));
  CHECK(keeper.check());
  CHECK(wal_bytes() == 0);
  stop = true;
  readers.join();
  CHECK_FALSE(keeper.check());  // under the bound: nothing to do
}
