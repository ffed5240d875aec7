// The server's database on PostgreSQL (storage/server_database.hpp) as on
// SQLite: the same live ingests (CSV and JSON bodies, polls late, repeated
// and contradicted, alerts raised in the ingest's transaction) give the same
// alert events, deliveries and state, tell the live state the same stores and
// polls, and read back the same incidents, store page, days and figures.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "postgresql/fresh_database.hpp"
#include "postgresql/table_text.hpp"
#include "storage/server_database.hpp"
#include "support.hpp"
#include "webhook_receiver.hpp"

using test::at;
using test::FreshDatabase;
using test::TempDir;

namespace {

std::string time_or_dash(const std::optional<Instant>& instant) {
  return instant ? format_timestamp(*instant) : "-";
}

// One ingest as the server makes it: alerts at `clock`, and what the live
// state would be told written down.
std::string ingest(ServerDatabase& db, Dataset dataset, const std::string& body, bool json,
                   const std::string& clock) {
  IngestRules rules;
  rules.alerts = AlertRules{};
  rules.clock = at(clock);
  // As the live state takes them: each store once, polls in any order.
  std::set<std::string> told;
  rules.on_poll = [&told](std::int64_t store, Instant at, bool active) {
    told.insert(" poll " + std::to_string(store) + "@" + format_timestamp(at) +
                (active ? "+" : "-"));
  };
  rules.on_store = [&told](std::int64_t store) { told.insert(" store " + std::to_string(store)); };
  const ImportSummary summary =
      json ? db.engine->ingest_json_rows(dataset, "body", read_json_rows(dataset, body), rules)
           : [&] {
               std::istringstream csv(body);
               return db.engine->ingest_csv(dataset, "body", csv, {}, rules);
             }();
  std::string text = summary.text().substr(0, summary.text().find(" in "));
  for (const std::string& each : told) text += each;
  return text + "\n";
}

// The same sequence on either engine, every outcome written down.
std::string live_day(ServerDatabase& db, const test::RowsOf& rows) {
  std::ostringstream out;
  const std::string secret = "ingest-secret-0123456789";
  db.webhooks->create(test::webhook_to("http://127.0.0.1:9/all", secret));
  Webhook downs_of_a = test::webhook_to("http://127.0.0.1:9/a", secret);
  downs_of_a.stores = {"a"};
  downs_of_a.events = {AlertType::down};
  db.webhooks->create(downs_of_a);
  // a: open 09:00-17:00 New York time every day; b: always open.
  out << ingest(db, Dataset::hours,
                "store_id,dayOfWeek,start_time_local,end_time_local\n"
                "a,0,09:00,17:00\na,1,09:00,17:00\na,2,09:00,17:00\na,3,09:00,17:00\n",
                false, "2023-01-25 12:00:00");
  out << ingest(db, Dataset::zones,
                R"([{"store_id": "a", "timezone_str": "America/New_York"},
                    {"store_id": "c", "timezone_str": "Europe/Paris"}])",
                true, "2023-01-25 12:00:00");
  // Wednesday 25th: a down at 10:30 local, up at 12:30; b silent later.
  // Each body as it arrives, a few minutes after its polls; the second
  // repeats a poll, contradicts one and brings one long late (backfill: no
  // alert from it).
  out << ingest(db, Dataset::polls,
                "store_id,status,timestamp_utc\n"
                "a,active,2023-01-25 14:30:00\nb,active,2023-01-25 14:00:00\n",
                false, "2023-01-25 14:31:00");
  out << ingest(db, Dataset::polls,
                R"([{"store_id": "a", "status": "inactive", "timestamp_utc": "2023-01-25 15:30:00"},
                    {"store_id": "a", "status": "active", "timestamp_utc": "2023-01-25 14:30:00"},
                    {"store_id": "b", "status": "inactive", "timestamp_utc": "2023-01-25 14:00:00"},
                    {"store_id": "b", "status": "active", "timestamp_utc": "2023-01-20 14:00:00"},
                    {"store_id": "a", "status": "inactive", "timestamp_utc": "2023-01-25 15:35:00"}])",
                true, "2023-01-25 15:36:00");
  out << ingest(db, Dataset::polls,
                "store_id,status,timestamp_utc\n"
                "a,inactive,2023-01-25 16:30:00\nbad,row\na,active,2023-01-25 17:30:00\n"
                "a,inactive,2023-01-25 16:40:00\n",
                false, "2023-01-25 17:31:00");
  out << ingest(db, Dataset::stores, "store_id,name\na,Alpha\nb,Beta\n", false,
                "2023-01-25 17:40:00");
  // The clock (its own connection, as the server's): b not heard from
  // since 14:00 goes silent.
  out << "tick: "
      << open_alerts(db.location())->raise_time_alerts(at("2023-01-25 17:45:00"), AlertRules{})
      << " raised\n";
  out << test::alert_tables(rows);

  out << "incidents:\n";
  const std::set<std::string> only_b{"b"};
  for (const IncidentKinds kinds :
       {IncidentKinds{}, IncidentKinds{true, false, false}, IncidentKinds{false, true, true}}) {
    for (const std::set<std::string>* only :
         {static_cast<const std::set<std::string>*>(nullptr), &only_b}) {
      for (const std::size_t offset : {0, 1}) {
        const IncidentPage page = db.alerts->incidents(kinds, offset, 2, only);
        out << page.total << ":";
        for (const IncidentRecord& incident : page.rows) {
          out << " " << incident.store_id << "/" << incident.name << "/" << incident.zone << "/"
              << incident.state << "/" << format_timestamp(incident.start) << "/"
              << time_or_dash(incident.end) << "/"
              << (incident.downtime ? incident.downtime->count() : -1);
        }
        out << "\n";
      }
    }
  }
  out << "opened since: " << db.alerts->incidents_opened_since(at("2000-01-01 00:00:00"), nullptr)
      << " " << db.alerts->incidents_opened_since(at("2000-01-01 00:00:00"), &only_b) << "\n";
  for (const std::optional<std::string>& store :
       {std::optional<std::string>{}, std::optional<std::string>{"b"}}) {
    out << "open:";
    for (const OpenIncident& incident : db.alerts->open_incidents(store)) {
      out << " " << incident.store_id << "/" << time_or_dash(incident.down_since) << "/"
          << time_or_dash(incident.silent_since);
    }
    out << "\n";
  }

  for (const char* store : {"a", "b", "c", "nobody"}) {
    for (const bool days : {false, true}) {
      const auto snapshot = db.engine->store_snapshot(
          store, std::nullopt,
          days ? std::optional<DatePeriod>(
                     DatePeriod{date::local_days{date::year{2023} / date::January / 24},
                                date::local_days{date::year{2023} / date::January / 25}})
               : std::nullopt,
          nullptr);
      out << store << (days ? " days:" : ":");
      if (!snapshot) {
        out << " none\n";
        continue;
      }
      out << " zone " << snapshot->zone_name << " as of " << time_or_dash(snapshot->as_of)
          << " first " << time_or_dash(snapshot->first_poll) << " hours "
          << snapshot->input.hours.size() << " polls";
      for (const Poll& poll : snapshot->input.polls) {
        out << " " << format_timestamp(poll.at) << (poll.active ? "+" : "-");
      }
      out << "\n";
    }
  }
  const DatabaseHealth health = db.figures->health();
  out << "health: " << health.polls << " polls, newest " << time_or_dash(health.latest_poll)
      << "\n";
  const DatabaseFigures figures = db.figures->read();
  out << "figures: " << figures.polls << " polls, " << figures.stores << " stores, "
      << figures.alert_events_kept << " events, " << figures.deliveries_kept
      << " deliveries, outbox " << figures.outbox.pending << " since "
      << time_or_dash(figures.outbox.oldest_raised).substr(0, 4) << ",";
  for (const auto& [type, raised] : figures.alert_events_by_type) {
    out << " " << type << " " << raised;
  }
  out << "\n";
  return out.str();
}

}  // namespace

TEST_CASE("PostgreSQL: live ingests raise, tell and read back what SQLite's do", "[postgresql]") {
  TempDir dir;
  const std::unique_ptr<ServerDatabase> sqlite = open_server_database(dir.file("u.db"));
  Database sqlite_reader(dir.file("u.db"), Database::Access::read_only);
  const std::string expected = live_day(*sqlite, test::sqlite_rows_of(sqlite_reader));
  // Checked on its own, so that both engines cannot be wrong alike: the
  // late poll of the 20th, the repeat and the contradiction loaded as rules
  // §1 says and told; a down at its first inactive poll (10:30 local) to
  // both webhooks, recovered at 12:30 after 2 hours; b silent at the tick.
  CHECK_THAT(expected,
             Catch::Contains("5 rows read, 3 loaded, 1 duplicates, 1 conflicts, 0 rejected"
                             " poll 1@2023-01-25T14:30:00.000000Z+"));
  CHECK_THAT(expected, Catch::Contains(" poll 3@2023-01-20T14:00:00.000000Z+"));
  CHECK_THAT(expected,
             Catch::Contains("4 rows read, 3 loaded, 0 duplicates, 0 conflicts, 1 rejected"));
  CHECK_THAT(expected,
             Catch::Contains("2 rows read, 2 loaded, 0 duplicates, 0 conflicts, 0 rejected"
                             " store 1 store 3\n"));
  CHECK_THAT(expected, Catch::Contains("tick: 1 raised\n"));
  CHECK_THAT(expected,
             Catch::Contains("1|1|store.down|1674660600000000|-|-\n"
                             "2|1|store.recovered|1674667800000000|1674660600000000|7200000000\n"
                             "3|3|store.silent|1674668700000000|-|-\n"));
  CHECK_THAT(expected, Catch::Contains("1|1|1|1|pending|0\n2|1|2|1|pending|0\n"
                                       "3|2|1|1|pending|0\n4|3|1|3|pending|0\n"));
  CHECK_THAT(expected, Catch::Contains("open: b/-/2023-01-25T17:45:00.000000Z\n"));
  CHECK_THAT(expected, Catch::Contains("opened since: 1 0\n"));
  CHECK_THAT(expected, Catch::Contains("nobody: none\n"));
  CHECK_THAT(expected, Catch::Contains("health: 8 polls, newest 2023-01-25T17:30:00.000000Z\n"));
  CHECK_THAT(expected, Catch::Contains("store.down 1 store.recovered 1 store.silent 1"));

  FreshDatabase database("server_ingest");
  const std::unique_ptr<ServerDatabase> postgresql = open_server_database(database.url());
  PgConnection pg_reader(database.url());
  CHECK(live_day(*postgresql, test::postgresql_rows_of(pg_reader)) == expected);
}
