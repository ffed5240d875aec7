// The poll writer: batches sorted into runs, held in memory (an import that
// fits) or in a temporary file (a large one), merged and written in one pass.
// Both ways count duplicates and conflicts the same, the first poll of the
// file winning, and land the same rows.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

#include "storage/poll_writer.hpp"
#include "storage/sorted_runs.hpp"
#include "support.hpp"

using test::TempDir;

namespace {

struct Written {
  PollWriter::Counts counts;
  std::int64_t rows = 0;
  std::int64_t active = 0;
  std::int64_t newest_us = 0;
};

// Adds `polls` (store id, minute, active) through a PollWriter in one
// transaction, batches of `batch_polls`, as a large import (runs in a file)
// or not.
Written write(Database& db, const std::vector<std::tuple<std::string, int, bool>>& polls,
              std::size_t batch_polls, bool large) {
  SQLite::Transaction transaction(db.sql());
  StoreKeys stores(db.sql());
  PollWriter writer(db.sql(), {batch_polls, large ? batch_polls : polls.size()});
  for (const auto& [store, minute, active] : polls) {
    writer.add(stores, store, test::at("2023-01-01 00:00:00") + std::chrono::minutes{minute},
               active);
  }
  Written written;
  written.counts = writer.finish(stores);
  transaction.commit();
  written.rows = db.sql().execAndGet("SELECT count(*) FROM polls").getInt64();
  written.active = db.sql().execAndGet("SELECT sum(active) FROM polls").getInt64();
  written.newest_us = db.sql().execAndGet("SELECT max(latest_poll_us) FROM stores").getInt64();
  return written;
}

}  // namespace

TEST_CASE("sorted runs merge in key order, equal polls in the order of their runs",
          "[poll_writer]") {
  TempDir dir;
  // All in memory; the file from the second run on; all in the file.
  const std::size_t memory_polls = GENERATE(100, 4, 0);
  SortedRuns runs(dir.path().string(), memory_polls);
  // Two runs, each sorted; (1, 20) is in both, and in the first twice.
  runs.add({{1, 10, 0, true}, {1, 20, 1, true}, {1, 20, 2, false}, {3, 5, 3, true}});
  runs.add({{1, 20, 0, false}, {2, 1, 1, true}});
  runs.add({});
  std::vector<std::string> merged;
  runs.merge([&](const PendingPoll& poll) {
    merged.push_back(std::to_string(poll.store) + "@" + std::to_string(poll.at_us) +
                     (poll.active ? "+" : "-"));
  });
  CHECK(merged == std::vector<std::string>{"1@10+", "1@20+", "1@20-", "1@20-", "2@1+", "3@5+"});
  // Nothing is left in the folder: the file's name, if one was made, went at once.
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a large import through sorted runs counts and lands like a small one", "[poll_writer]") {
  // 30 stores × 200 minutes in random order, 300 of them again (the first
  // 150 with the same status, the next 150 with the other), in batches of
  // 500: thirteen runs, in the file for the large import.
  std::vector<std::tuple<std::string, int, bool>> polls;
  for (int store = 0; store < 30; ++store) {
    for (int minute = 0; minute < 200; ++minute) {
      polls.emplace_back("s" + std::to_string(store), minute, (store + minute) % 3 != 0);
    }
  }
  std::mt19937 random(11);
  std::shuffle(polls.begin(), polls.end(), random);
  for (int i = 0; i < 300; ++i) {
    auto repeat = polls[static_cast<std::size_t>(i)];
    if (i >= 150) std::get<2>(repeat) = !std::get<2>(repeat);
    polls.push_back(repeat);
  }
  TempDir dir;
  Database small_db(dir.file("small.db"));
  Database large_db(dir.file("large.db"));
  const Written small = write(small_db, polls, 500, false);
  const Written large = write(large_db, polls, 500, true);
  for (const Written& written : {small, large}) {
    CHECK(written.counts.loaded == 6000);
    CHECK(written.counts.duplicates == 150);
    CHECK(written.counts.conflicts == 150);
    CHECK(written.rows == 6000);
    CHECK(written.active == 4000);  // the first status of each poll stayed
    CHECK(written.newest_us == to_micros(test::at("2023-01-01 03:19:00")));
  }
  // The temporary file of the runs is gone (its name went at once).
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().filename().string().rfind(".uptime-temporary-", 0) != 0);
  }

  // The writing skipped CHECK constraints (its binding keeps them); they hold again after.
  CHECK_THROWS_WITH(
      large_db.sql().exec("INSERT INTO polls (store, at_us, active) VALUES (1, 1, 7)"),
      Catch::Contains("CHECK constraint failed"));

  // Again into the filled database, as a large import: all known.
  const Written again = write(large_db, polls, 500, true);
  CHECK(again.counts.loaded == 0);
  CHECK(again.counts.duplicates == 6150);
  CHECK(again.counts.conflicts == 150);
}

TEST_CASE("batches sort alike whether store keys are dense or far apart", "[poll_writer]") {
  // 2,000 stores, then polls of the first 30 and the last 30 in batches of
  // 100: keys spread over 2,000 in a batch of 100 take the comparison sort,
  // the first batches the counting sort. Each poll twice, the second with
  // the other status: the first one wins.
  std::vector<std::tuple<std::string, int, bool>> polls;
  for (int store = 0; store < 2000; ++store)
    polls.emplace_back("s" + std::to_string(store), 0, true);
  std::vector<std::tuple<std::string, int, bool>> later;
  for (int store : {0, 1999}) {
    for (int offset = 0; offset < 30; ++offset) {
      for (int minute = 1; minute <= 20; ++minute) {
        const int id = store == 0 ? offset : store - offset;
        later.emplace_back("s" + std::to_string(id), minute, minute % 2 == 0);
      }
    }
  }
  std::mt19937 random(5);
  std::shuffle(later.begin(), later.end(), random);
  for (const auto& poll : later) polls.push_back(poll);
  for (auto poll : later) {
    std::get<2>(poll) = !std::get<2>(poll);
    polls.push_back(poll);
  }
  TempDir dir;
  Database db(dir.file("u.db"));
  const Written written = write(db, polls, 100, false);
  CHECK(written.counts.loaded == 2000 + 1200);
  CHECK(written.counts.conflicts == 1200);
  CHECK(written.rows == 3200);
  CHECK(written.active == 2000 + 600);  // even minutes were active first
}

TEST_CASE("store keys: known ids looked up one by one, then all read at once, alike",
          "[poll_writer]") {
  // 10,000 stores: the first 4,096 known ids are looked up alone, the rest
  // come from reading every store; new ids are numbered after the largest key.
  TempDir dir;
  Database db(dir.file("u.db"));
  {
    SQLite::Transaction transaction(db.sql());
    SQLite::Statement insert(db.sql(), "INSERT INTO stores (id, store_id) VALUES (?, ?)");
    for (int key = 1; key <= 10000; ++key) {
      insert.bind(1, key * 3);  // keys need not be dense
      insert.bind(2, "s" + std::to_string(key));
      insert.exec();
      insert.reset();
    }
    transaction.commit();
  }
  for (const int known : {10, 6000}) {
    INFO(known << " known ids");
    SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    StoreKeys keys(db.sql());
    CHECK(keys.first_new_key() == 30001);
    CHECK(keys.key_of("new-1") == 30001);
    for (int key = known; key >= 1; --key) {
      REQUIRE(keys.key_of("s" + std::to_string(key)) == key * 3);
    }
    CHECK(keys.key_of("new-2") == 30002);
    CHECK(keys.key_of("new-1") == 30001);
    CHECK(keys.key_of("s" + std::to_string(known)) == known * 3);
    CHECK(keys.take_pending().size() == 2);
  }
}
