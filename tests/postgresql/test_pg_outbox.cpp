// The webhooks' outbox on PostgreSQL (storage/postgresql/pg_deliveries.hpp)
// as on SQLite: a SQLite database's deliveries, raised by live polls, copied
// over by `migrate`; the same sequence of claims and attempts through the
// Deliveries interface writes down the same outcomes on both; the delivery
// worker delivers from PostgreSQL's outbox.
#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "postgresql/counted_lease.hpp"
#include "postgresql/fresh_database.hpp"
#include "server/webhook_delivery.hpp"
#include "storage/postgresql/pg_deliveries.hpp"
#include "storage/postgresql/pg_worker_lease.hpp"
#include "storage/webhook_store.hpp"
#include "support.hpp"
#include "webhook_receiver.hpp"

using test::at;
using test::FreshDatabase;
using test::TempDir;

namespace {

const std::string kSecret = "outbox-secret-0123456789";

Webhook webhook_to(const std::string& url) {
  return test::webhook_to(url, kSecret);
}

// Down and recovered events for stores a and b (names and a zone for one),
// for every webhook that wants them, in a SQLite database at `path`.
void raise_events(const std::string& path, const std::vector<Webhook>& webhooks) {
  Database db(path);
  test::import_text(db, Dataset::zones, "store_id,timezone_str\na,America/New_York\n");
  test::import_text(db, Dataset::stores, "store_id,name\nb,Taco Town\n");
  for (const Webhook& webhook : webhooks) create_webhook(db, webhook);
  test::ingest_live_polls(db, "a,inactive,2023-01-25 10:00:00\nb,inactive,2023-01-25 10:00:00\n",
                          "2023-01-25 10:01:00");
  test::ingest_live_polls(db, "a,active,2023-01-25 11:00:00\nb,active,2023-01-25 11:30:00\n",
                          "2023-01-25 11:31:00");
}

std::string text(const std::vector<Delivery>& due) {
  std::ostringstream out;
  for (const Delivery& delivery : due) {
    out << delivery.id << " event " << delivery.event_id << " webhook " << delivery.webhook
        << " store " << delivery.store << " " << delivery.store_id << " [" << delivery.store_name
        << "] [" << delivery.timezone << "] " << alert_type_name(delivery.type) << " attempts "
        << delivery.attempts << " " << delivery.url << " " << delivery.secret << " "
        << webhook_format_name(delivery.format) << " at " << format_timestamp(delivery.at)
        << " raised " << format_timestamp(delivery.raised) << " incident "
        << (delivery.incident_start ? format_timestamp(*delivery.incident_start) : "-")
        << " downtime " << (delivery.downtime ? delivery.downtime->count() : -1) << "\n";
  }
  return out.str();
}

// Claims and attempts, every outcome written down.
std::string exercise_outbox(Deliveries& outbox) {
  std::ostringstream out;
  const Instant far = at("2100-01-01 00:00:00");
  const std::vector<Delivery> due = outbox.due(far, 100, {});
  out << "due:\n" << text(due);
  out << "not yet:\n" << text(outbox.due(at("2023-01-25 09:00:00"), 100, {}));
  out << "one:\n" << text(outbox.due(far, 1, {}));
  out << "webhook 1 busy:\n" << text(outbox.due(far, 100, {1}));
  out << "both busy:\n" << text(outbox.due(far, 100, {1, 2}));
  REQUIRE(due.size() >= 2);
  // The first fails and is tried again later: its store's next waits behind it.
  outbox.record_attempt(due[0].id, {far, 500, "answered HTTP 500", far + std::chrono::seconds{1}});
  out << "after a failed attempt:\n" << text(outbox.due(far, 100, {}));
  // Then it goes: the next in its order comes.
  outbox.record_attempt(due[0].id, {far + std::chrono::seconds{2}, 204, "", std::nullopt});
  out << "after its delivery:\n" << text(outbox.due(far, 100, {}));
  // Given up without an answer: failed, and the next in order goes.
  outbox.record_attempt(due[1].id, {far, std::nullopt, "no answer", std::nullopt});
  out << "after giving up:\n" << text(outbox.due(far + std::chrono::seconds{5}, 100, {}));
  return out.str();
}

// Four deliveries to a receiver on loopback (a and b down, then recovered),
// raised in SQLite and copied into a fresh PostgreSQL database.
struct OutboxToReceiver {
  explicit OutboxToReceiver(const std::string& name) : receiver(kSecret), database(name) {
    raise_events(dir.file("u.db"), {webhook_to(receiver.url("/all"))});
    test::copy_to_postgresql(dir.file("u.db"), database.url());
  }
  TempDir dir;
  test::Receiver receiver;
  FreshDatabase database;
  PgConnection db{database.url()};
};

std::int64_t pending(PgConnection& db) {
  return db.exec("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'").int64(0, 0);
}

}  // namespace

TEST_CASE("PostgreSQL: the webhooks' outbox as SQLite keeps it", "[postgresql]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Webhook slack = webhook_to("https://hooks.example.com/b?team=ops");
  slack.format = WebhookFormat::slack;
  slack.stores = {"b"};
  raise_events(path, {webhook_to("http://127.0.0.1:9/all"), slack});
  FreshDatabase database("engine_outbox");
  test::copy_to_postgresql(path, database.url());

  SqliteDeliveries sqlite(path);
  const std::string expected = exercise_outbox(sqlite);
  // Checked on its own, so that both engines cannot be wrong alike.
  CHECK_THAT(expected,
             Catch::StartsWith("due:\n1 event 1 webhook 1 store 1 a [] [America/New_York] "
                               "store.down attempts 0 http://127.0.0.1:9/all"));
  CHECK_THAT(expected, Catch::Contains(" b [Taco Town] [] store.down attempts 0 "
                                       "https://hooks.example.com/b?team=ops"));
  CHECK_THAT(expected, Catch::Contains("not yet:\none:\n1 event 1"));
  CHECK_THAT(expected, Catch::Contains("both busy:\nafter a failed attempt:\n"));
  CHECK_THAT(expected, Catch::Contains(" a [] [America/New_York] store.recovered attempts 0 "));

  PgDeliveries postgresql(database.url());
  CHECK(exercise_outbox(postgresql) == expected);
}

TEST_CASE("PostgreSQL: the delivery worker delivers from its outbox, once each, in order",
          "[postgresql]") {
  OutboxToReceiver outbox("engine_delivery");
  PgConnection& db = outbox.db;
  test::Receiver& receiver = outbox.receiver;
  const std::string url = outbox.database.url();
  REQUIRE(pending(db) == 4);

  Metrics metrics;
  {
    PgWorkerLease lease(url);
    WebhookDelivery delivery(url, lease, DeliverySettings{}, metrics);
    // Each delivery recorded (the condition, not a time), then nothing more.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    while (pending(db) > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    REQUIRE(pending(db) == 0);
  }
  const auto events = receiver.wait_for(4);
  REQUIRE(events.size() == 4);
  std::vector<std::string> of_a;
  for (const auto& event : events) {
    if (event["store_id"] == "a") of_a.push_back(event["type"]);
  }
  CHECK(of_a == std::vector<std::string>{"store.down", "store.recovered"});
  CHECK(receiver.signatures_ok());
  CHECK(db.exec("SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'").int64(0, 0) ==
        4);
}

TEST_CASE("PostgreSQL: only the lease's holder delivers; when it dies, another server does",
          "[postgresql]") {
  OutboxToReceiver outbox("engine_lease_delivery");
  PgConnection& db = outbox.db;
  test::Receiver& receiver = outbox.receiver;
  const std::string url = outbox.database.url();

  // Another server holds the lease: this one's worker claims nothing.
  PgWorkerLease other_server(url);
  REQUIRE(other_server.held());
  test::CountedLease lease(url);
  Metrics metrics;
  WebhookDelivery delivery(url, lease, DeliverySettings{}, metrics);
  // Waits for the condition (its dispatcher asked twice and was refused),
  // not for a time.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (lease.asked() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  REQUIRE(lease.asked() >= 2);
  CHECK(pending(db) == 4);
  CHECK(receiver.received() == 0);

  // The other server dies: its connection ends, and this one takes over.
  db.exec(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND "
      "granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  while (pending(db) > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  CHECK(pending(db) == 0);
  CHECK(receiver.wait_for(4).size() == 4);
}
