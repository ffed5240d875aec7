// The live fleet (server/live_fleet.hpp) over a real database: built from
// the stored polls, moved on by polls as an ingest reports them (late ones
// read again from the database), by the clock (silence, not live), and cut
// into pages. 2023-01-25 is a Wednesday; stores without hours are open 24x7.
#include <catch2/catch.hpp>

#include "server/live_fleet.hpp"
#include "support.hpp"

using test::at;

namespace {

constexpr std::chrono::seconds kFleetSilence{std::chrono::hours{2}};

std::int64_t key_of(Database& db, const std::string& store_id) {
  return db.sql()
      .execAndGet("SELECT id FROM stores WHERE store_id = '" + store_id + "'")
      .getInt64();
}

LiveStatus live_status_of(const LiveFleet& fleet, const std::string& store_id) {
  const auto store = fleet.store(store_id);
  REQUIRE(store.has_value());
  return store->status;
}

}  // namespace

TEST_CASE("live fleet: from the stored polls, then as polls arrive", "[live]") {
  test::TempDir dir;
  Database db(dir.file("u.db"));
  test::import_text(db, Dataset::polls,
                    "store_id,status,timestamp_utc\n"
                    "a,inactive,2023-01-25 08:00:00\n"
                    "a,active,2023-01-25 09:00:00\n"
                    "a,active,2023-01-25 10:00:00\n"
                    "b,active,2023-01-25 10:00:00\n");
  test::import_text(db, Dataset::hours,
                    "store_id,dayOfWeek,start_time_local,end_time_local\nnever,2,09:00,17:00\n");
  LiveFleet fleet(dir.file("u.db"), kFleetSilence);
  fleet.load(at("2023-01-25 10:30:00"));

  FleetSummary summary = fleet.summary(nullptr);
  CHECK(summary.live);
  CHECK(summary.by_state[static_cast<std::size_t>(StoreState::up)] == 2);
  CHECK(summary.by_state[static_cast<std::size_t>(StoreState::no_data)] == 1);
  CHECK(summary.newest_poll == at("2023-01-25 10:00:00"));
  CHECK(summary.data_since == at("2023-01-25 08:00:00"));
  CHECK(live_status_of(fleet, "a").since == at("2023-01-25 09:00:00"));

  SECTION("a newer poll moves the run on") {
    test::import_text(db, Dataset::polls,
                      "store_id,status,timestamp_utc\na,inactive,2023-01-25 10:20:00\n");
    fleet.polls_added({{key_of(db, "a"), at("2023-01-25 10:20:00"), false}},
                      at("2023-01-25 10:30:00"));
    const LiveStatus a = live_status_of(fleet, "a");
    CHECK(a.state == StoreState::down);
    CHECK(a.since == at("2023-01-25 10:20:00"));
    CHECK(fleet.summary(nullptr).by_state[static_cast<std::size_t>(StoreState::down)] == 1);
  }
  SECTION("a late poll is read again from the database: it may split the run") {
    test::import_text(db, Dataset::polls,
                      "store_id,status,timestamp_utc\na,inactive,2023-01-25 09:30:00\n");
    fleet.polls_added({{key_of(db, "a"), at("2023-01-25 09:30:00"), false}},
                      at("2023-01-25 10:30:00"));
    const LiveStatus a = live_status_of(fleet, "a");
    CHECK(a.state == StoreState::up);
    CHECK(a.since == at("2023-01-25 10:00:00"));
  }
  SECTION("a new store's first poll adds it") {
    test::import_text(db, Dataset::polls,
                      "store_id,status,timestamp_utc\nc,active,2023-01-25 10:25:00\n");
    fleet.polls_added({{key_of(db, "c"), at("2023-01-25 10:25:00"), true}},
                      at("2023-01-25 10:30:00"));
    CHECK(live_status_of(fleet, "c").state == StoreState::up);
    CHECK(fleet.summary(nullptr).by_state[static_cast<std::size_t>(StoreState::up)] == 3);
  }
  SECTION("the clock: silence makes a store unknown; an old fleet is not live") {
    fleet.tick(at("2023-01-25 12:30:00"));
    CHECK(fleet.summary(nullptr).live == false);  // the newest poll is 2 h 30 old
    // Not live: the state is as of the newest poll, so nothing went silent.
    CHECK(live_status_of(fleet, "a").state == StoreState::up);
    fleet.polls_added({}, at("2023-01-25 10:30:00"));
    CHECK(fleet.summary(nullptr).live);
  }
  SECTION("pages: filtered, sorted, cut, and an owner's stores only") {
    StoreListQuery query;
    query.sort = StoreColumn::state;
    query.descending = true;
    StorePage page = fleet.page(query);
    REQUIRE(page.total == 3);
    // "up" after "no_data"; descending, ties go by id descending too.
    CHECK(page.rows[0].store_id == "b");
    CHECK(page.rows[1].store_id == "a");
    CHECK(page.rows[2].store_id == "never");
    query.state = StoreState::up;
    query.limit = 1;
    query.offset = 1;
    page = fleet.page(query);
    CHECK(page.total == 2);
    REQUIRE(page.rows.size() == 1);
    CHECK(page.rows[0].store_id == "a");
    const std::set<std::string> owner = {"b", "elsewhere"};
    StoreListQuery mine;
    mine.only = &owner;
    page = fleet.page(mine);
    CHECK(page.total == 1);
    CHECK(fleet.summary(&owner).by_state[static_cast<std::size_t>(StoreState::up)] == 1);
    StoreListQuery text;
    text.contains = "nev";
    CHECK(fleet.page(text).total == 1);
  }
}
