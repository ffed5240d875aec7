// Alerts in the database: live polls raise events in the ingest's own
// transaction, the clock raises the time rules, backfill raises nothing.
#include <catch2/catch.hpp>

#include "storage/alert_store.hpp"
#include "support.hpp"

using test::at;
using test::TempDir;

namespace {

std::vector<std::string> types(Database& db) {
  std::vector<std::string> result;
  const auto events = list_alert_events(db, 100);
  for (auto it = events.rbegin(); it != events.rend(); ++it)
    result.push_back(it->store_id + " " + it->type);
  return result;
}

}  // namespace

TEST_CASE("live polls raise alerts in the ingest; repeated and old ones do not", "[alert_store]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // a: open 09:00-17:00 UTC; b: 24x7.
  test::import_text(db, Dataset::hours,
                    "store_id,dayOfWeek,start_time_local,end_time_local\n"
                    "a,2,09:00,17:00\n");
  test::import_text(db, Dataset::zones, "store_id,timezone_str\na,UTC\nb,UTC\n");
  test::ingest_live_polls(db, "a,active,2023-01-25 09:00:00\nb,active,2023-01-25 09:00:00\n",
                          "2023-01-25 09:01:00");
  test::ingest_live_polls(db, "a,inactive,2023-01-25 10:00:00\nb,inactive,2023-01-25 10:00:00\n",
                          "2023-01-25 10:01:00");
  test::ingest_live_polls(db, "a,inactive,2023-01-25 11:00:00\n", "2023-01-25 11:01:00");
  test::ingest_live_polls(db, "a,active,2023-01-25 12:00:00\n", "2023-01-25 12:01:00");
  // The same poll again, and one older than the newest: nothing.
  test::ingest_live_polls(db, "a,active,2023-01-25 12:00:00\na,inactive,2023-01-25 11:30:00\n",
                          "2023-01-25 12:02:00");
  CHECK(types(db) == std::vector<std::string>{"a store.down", "b store.down", "a store.recovered"});
  const auto events = list_alert_events(db, 1);
  REQUIRE(events[0].downtime);
  CHECK(*events[0].downtime == std::chrono::hours{2});
  CHECK(events[0].incident_start == at("2023-01-25 10:00:00"));

  // A backfill a week late: nothing.
  test::ingest_live_polls(db, "b,active,2023-01-25 13:00:00\n", "2023-02-01 13:00:00");
  CHECK(types(db).size() == 3);
}

TEST_CASE("the clock raises silence during hours, and down at opening", "[alert_store]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  test::import_text(db, Dataset::hours,
                    "store_id,dayOfWeek,start_time_local,end_time_local\n"
                    "a,2,09:00,17:00\na,3,09:00,17:00\nb,2,09:00,17:00\nb,3,09:00,17:00\n");
  test::import_text(db, Dataset::zones, "store_id,timezone_str\na,UTC\nb,UTC\n");
  test::ingest_live_polls(db, "a,active,2023-01-25 16:00:00\n", "2023-01-25 16:01:00");
  test::ingest_live_polls(db, "b,inactive,2023-01-26 08:30:00\n", "2023-01-26 08:31:00");
  CHECK(raise_time_alerts(db, at("2023-01-25 20:00:00"), {}) == 0);  // closed: nothing
  // Thursday 09:00:30: b opens with its latest poll inactive; a has been
  // silent since yesterday.
  CHECK(raise_time_alerts(db, at("2023-01-26 09:00:30"), {}) == 2);
  CHECK(raise_time_alerts(db, at("2023-01-26 09:01:00"), {}) == 0);  // once each
  CHECK(types(db) == std::vector<std::string>{"a store.silent", "b store.down"});
  test::ingest_live_polls(db, "a,active,2023-01-26 09:05:00\n", "2023-01-26 09:06:00");
  CHECK(types(db).back() == "a store.heard");
}
