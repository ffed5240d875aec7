// The alerts' clock on PostgreSQL (storage/postgresql/pg_alerts.hpp) as on
// SQLite: a SQLite database's alert state, built by live polls and copied
// over by `migrate`, ticked at the same clocks on both; the same events,
// deliveries and state after each tick.
#include <catch2/catch.hpp>
#include <functional>
#include <sstream>

#include "postgresql/fresh_database.hpp"
#include "postgresql/table_text.hpp"
#include "storage/alert_store.hpp"
#include "storage/postgresql/pg_alerts.hpp"
#include "storage/webhook_store.hpp"
#include "support.hpp"
#include "webhook_receiver.hpp"

using test::at;
using test::FreshDatabase;
using test::TempDir;

namespace {

using test::RowsOf;

// What GET /alerts reads, but the wall clock events were raised at.
std::string recent_text(Alerts& alerts, std::size_t limit,
                        const std::optional<std::string>& store) {
  const RecentAlerts recent = alerts.recent(limit, store);
  std::ostringstream out;
  for (const AlertEventRecord& event : recent.events) {
    out << "event " << event.id << " " << event.store_id << " " << event.type << " "
        << format_timestamp(event.at) << " "
        << (event.incident_start ? format_timestamp(*event.incident_start) : "-") << " "
        << (event.downtime ? event.downtime->count() : -1) << "\n";
  }
  for (const DeliveryRecord& delivery : recent.deliveries) {
    out << "delivery " << delivery.event << " " << delivery.webhook << " "
        << delivery_state_name(delivery.state) << " " << delivery.attempts << " "
        << delivery.last_status.value_or(-1) << " [" << delivery.last_error << "]\n";
  }
  for (const OpenIncident& incident : recent.incidents) {
    out << "open " << incident.store_id << " "
        << (incident.down_since ? format_timestamp(*incident.down_since) : "-") << " "
        << (incident.silent_since ? format_timestamp(*incident.silent_since) : "-") << "\n";
  }
  return out.str();
}

// Ticks at the same clocks, every outcome written down; then what GET
// /alerts reads: all, the newest two, a store's.

std::string tick(Alerts& alerts, const RowsOf& rows) {
  std::ostringstream out;
  // After the last poll (Thursday 13:00 UTC, 08:00 in New York).
  for (const char* clock : {"2023-01-26 13:05:00", "2023-01-26 13:30:00", "2023-01-26 13:45:00",
                            "2023-01-26 14:00:30", "2023-01-26 14:00:45"}) {
    out << clock << ": " << alerts.raise_time_alerts(at(clock), AlertRules{}) << " raised\n";
  }
  out << test::alert_tables(rows);
  out << "recent:\n"
      << recent_text(alerts, 100, std::nullopt) << "newest two:\n"
      << recent_text(alerts, 2, std::nullopt) << "of b:\n"
      << recent_text(alerts, 100, "b") << "of nobody:\n"
      << recent_text(alerts, 100, "nobody");
  return out.str();
}

}  // namespace

TEST_CASE("PostgreSQL: the alerts' clock raises what SQLite's raises", "[postgresql]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  {
    Database db(path);
    // a: open 09:00-17:00 New York time on Wednesday and Thursday; b: always
    // open, in the north.
    test::import_text(db, Dataset::hours,
                      "store_id,dayOfWeek,start_time_local,end_time_local\n"
                      "a,2,09:00,17:00\na,3,09:00,17:00\n");
    test::import_text(db, Dataset::zones, "store_id,timezone_str\na,America/New_York\n");
    test::import_text(db, Dataset::tags, "store_id,tag\nb,north\n");
    const std::string secret = "alerts-secret-0123456789";
    create_webhook(db, test::webhook_to("http://127.0.0.1:9/all", secret));
    Webhook downs_of_a = test::webhook_to("http://127.0.0.1:9/a", secret);
    downs_of_a.stores = {"a"};
    downs_of_a.events = {AlertType::down};
    create_webhook(db, downs_of_a);
    Webhook north = test::webhook_to("http://127.0.0.1:9/north", secret);
    north.tag = "north";
    create_webhook(db, north);
    // a down at 09:30 local and back at 11:30, then inactive and closed from
    // 18:00 on: Thursday opens with it inactive. b heard last at 12:00 UTC.
    test::ingest_live_polls(db, "a,active,2023-01-25 13:30:00\nb,active,2023-01-25 12:00:00\n",
                            "2023-01-25 13:31:00");
    test::ingest_live_polls(db, "a,inactive,2023-01-25 14:30:00\n", "2023-01-25 14:31:00");
    test::ingest_live_polls(db, "a,active,2023-01-25 16:30:00\n", "2023-01-25 16:31:00");
    for (int hour = 23; hour <= 37; ++hour) {
      const Instant poll = at("2023-01-25 00:00:00") + std::chrono::hours{hour};
      const auto plain = [](Instant t) {
        return date::format("%F %T", date::floor<std::chrono::seconds>(t));
      };
      test::ingest_live_polls(db, "a,inactive," + plain(poll) + "\n",
                              plain(poll + std::chrono::minutes{1}));
    }
  }
  FreshDatabase database("engine_alerts");
  test::copy_to_postgresql(path, database.url());

  Database sqlite_db(path, Database::Access::read_only);
  const test::RowsOf sqlite_rows = test::sqlite_rows_of(sqlite_db);
  const std::string before = test::alert_tables(sqlite_rows);
  SqliteAlerts sqlite(path);
  const std::string expected = tick(sqlite, sqlite_rows);
  // Checked on its own, so that both engines cannot be wrong alike: b
  // silent at the first tick (to the webhooks for all and for the north), a
  // down as Thursday opens (to all and to a's downs), nothing at the others.
  CHECK_THAT(expected, Catch::StartsWith("2023-01-26 13:05:00: 1 raised\n"
                                         "2023-01-26 13:30:00: 0 raised\n"
                                         "2023-01-26 13:45:00: 0 raised\n"
                                         "2023-01-26 14:00:30: 1 raised\n"
                                         "2023-01-26 14:00:45: 0 raised\n"));
  CHECK_THAT(expected, Catch::Contains("3|2|store.silent|1674738300000000|-|-\n"
                                       "4|1|store.down|1674741630000000|-|-\n"));
  CHECK_THAT(expected, Catch::Contains("4|3|1|2|pending|0\n5|3|3|2|pending|0\n"
                                       "6|4|1|1|pending|0\n7|4|2|1|pending|0\n"));
  CHECK(expected.size() > before.size());
  CHECK_THAT(expected,
             Catch::Contains("of b:\nevent 3 b store.silent 2023-01-26T13:05:00.000000Z - -1\n"
                             "delivery 3 1 pending 0 -1 []\ndelivery 3 3 pending 0 -1 []\n"
                             "open b - 2023-01-26T13:05:00.000000Z\nof nobody:\n"));

  PgAlerts postgresql(database.url());
  PgConnection pg_db(database.url());
  const test::RowsOf pg_rows = test::postgresql_rows_of(pg_db);
  CHECK(tick(postgresql, pg_rows) == expected);
}
