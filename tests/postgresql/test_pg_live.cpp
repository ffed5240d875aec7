// The live state read from PostgreSQL (storage/postgresql/pg_live_inputs.hpp)
// as from SQLite: the same data in both, a LiveFleet over each; the same
// state of every store at start-up, as the clock moves and after a store's
// polls are deleted.
#include <catch2/catch.hpp>
#include <fstream>

#include "postgresql/fresh_database.hpp"
#include "server/api/json_views.hpp"
#include "server/live_fleet.hpp"
#include "storage/postgresql/pg_store_edits.hpp"
#include "storage/store_edits.hpp"
#include "storage/store_engine.hpp"
#include "support.hpp"

using test::at;
using test::FreshDatabase;
using test::TempDir;

namespace {

void load_demo(const std::string& db) {
  const auto engine = open_store_engine(db);
  for (const auto& [dataset, file] :
       std::vector<std::pair<Dataset, std::string>>{{Dataset::zones, "timezones.csv"},
                                                    {Dataset::hours, "menu_hours.csv"},
                                                    {Dataset::special_hours, "special_hours.csv"},
                                                    {Dataset::polls, "store_status.csv"}}) {
    std::ifstream in(std::string(FIXTURES_DIR) + "/demo/" + file);
    REQUIRE(in);
    REQUIRE(engine->ingest_csv(dataset, file, in, {}, IngestRules{}).error.empty());
  }
}

// Every store's live view, in store_id order.
std::string fleet_now(const LiveFleet& fleet) {
  StoreListQuery all;
  all.limit = 1000000;
  std::string text;
  for (const LiveStore& store : fleet.page(all).rows) {
    text += live_json(store, fleet.live()).dump() + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("PostgreSQL: the live state of every store as SQLite's", "[postgresql]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  FreshDatabase database("engine_live");
  load_demo(path);
  load_demo(database.url());
  const std::chrono::seconds silence{std::chrono::hours{2}};
  LiveFleet sqlite(path, silence);
  LiveFleet postgresql(database.url(), silence);
  const Instant start = at("2023-01-25 17:00:00");
  sqlite.load(start);
  postgresql.load(start);
  const std::string loaded = fleet_now(sqlite);
  // Checked on its own, so that both engines cannot be wrong alike.
  CHECK(std::count(loaded.begin(), loaded.end(), '\n') > 50);
  CHECK(loaded.find("\"state\":\"up\"") != std::string::npos);
  CHECK(loaded.find("\"state\":\"closed\"") != std::string::npos);
  CHECK(fleet_now(postgresql) == loaded);

  // The clock moves on: openings, closings, silence.
  for (const char* clock : {"2023-01-25 23:00:00", "2023-01-26 06:00:00", "2023-01-26 15:00:00"}) {
    INFO(clock);
    sqlite.tick(at(clock));
    postgresql.tick(at(clock));
    CHECK(fleet_now(postgresql) == fleet_now(sqlite));
  }

  // A store's newest polls deleted: its run read again.
  StoreListQuery first;
  first.limit = 1;
  const std::string store_id = sqlite.page(first).rows.at(0).store_id;
  SharedConnection writer(path);
  SqliteStoreEdits sqlite_edits(writer);
  PgStoreEdits postgresql_edits(database.url());
  const Instant from = at("2023-01-25 12:00:00");
  REQUIRE(sqlite_edits.delete_polls(store_id, from, std::nullopt) ==
          postgresql_edits.delete_polls(store_id, from, std::nullopt));
  const Instant later = at("2023-01-26 15:00:10");
  sqlite.store_changed(store_id, later);
  postgresql.store_changed(store_id, later);
  CHECK(fleet_now(postgresql) == fleet_now(sqlite));
  CHECK(sqlite.store(store_id)->status.state != StoreState::up);
}
