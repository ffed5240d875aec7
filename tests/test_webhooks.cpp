// Webhooks: the retry schedule, the signature, the body in both formats,
// which webhooks an event goes to, the outbox's order, and a scripted day of
// polls and clock ticks delivered to a receiver on loopback.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/webhook_delivery.hpp"
#include "server/webhook_payload.hpp"
#include "storage/alert_store.hpp"
#include "storage/webhook_store.hpp"
#include "support.hpp"
#include "webhook_receiver.hpp"

using nlohmann::json;
using test::at;
using test::Receiver;
using test::TempDir;

namespace {

const std::string kSecret = "test-secret-0123456789";

Webhook webhook_to(const std::string& url) {
  return test::webhook_to(url, kSecret);
}

// "2023-01-25 13:31:00": how the tests write an instant.
std::string plain(Instant instant) {
  std::string text = format_timestamp(instant).substr(0, 19);
  text[10] = ' ';
  return text;
}

// "store type" of each pending delivery of webhook `id`, in the outbox's order.
std::vector<std::string> pending_for(Database& db, std::int64_t id) {
  std::vector<std::string> found;
  for (const Delivery& delivery : due_deliveries(db, at("2100-01-01 00:00:00"), 1000)) {
    if (delivery.webhook == id) {
      found.push_back(delivery.store_id + " " + alert_type_name(delivery.type));
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

TEST_CASE("webhooks: retries wait 1 s, 2 s, 4 s ... up to 10 min, for 24 h", "[webhooks]") {
  const RetryPolicy policy;
  const Instant raised = at("2023-01-25 10:00:00");
  std::vector<long> waits;
  for (int attempts = 1; attempts <= 12; ++attempts) {
    waits.push_back(
        static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(
                              next_attempt(policy, attempts, raised, raised).value() - raised)
                              .count()));
  }
  CHECK(waits == std::vector<long>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600});
  CHECK(next_attempt(policy, 1000, raised, raised) == raised + std::chrono::minutes{10});
  // The last attempt may start up to 24 h after the event; none later.
  CHECK(next_attempt(policy, 20, raised, at("2023-01-26 09:50:00")));
  CHECK_FALSE(next_attempt(policy, 20, raised, at("2023-01-26 09:50:01")));
}

TEST_CASE("webhooks: the signature is HMAC-SHA256 of the body, in hex", "[webhooks]") {
  // The example of RFC 2104's HMAC on Wikipedia's page, with SHA-256.
  CHECK(webhook_signature("key", "The quick brown fox jumps over the lazy dog") ==
        "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST_CASE("webhooks: the body in JSON and for Slack", "[webhooks]") {
  Delivery delivery;
  delivery.event_id = 42;
  delivery.type = AlertType::recovered;
  delivery.store_id = "north/7 b";
  delivery.timezone = "America/New_York";
  delivery.at = at("2023-03-12 08:30:00");  // 04:30 EDT, the day clocks went forward
  delivery.raised = at("2023-03-12 08:31:00");
  delivery.incident_start = at("2023-03-12 06:00:00");  // 01:00 EST
  delivery.downtime = test::hours(1.5);

  const json body = json::parse(webhook_body(delivery, "https://uptime.example/"));
  CHECK(body["event_id"] == 42);
  CHECK(body["type"] == "store.recovered");
  CHECK(body["store_id"] == "north/7 b");
  CHECK(body["timezone"] == "America/New_York");
  CHECK(body["at"] == "2023-03-12T08:30:00.000000Z");
  CHECK(body["at_local"] == "2023-03-12T04:30:00-04:00");
  CHECK(body["incident_start_local"] == "2023-03-12T01:00:00-05:00");
  CHECK(body["downtime_seconds"] == 5400.0);
  CHECK(body["store_url"] == "https://uptime.example/#store=north%2F7%20b");
  CHECK(json::parse(webhook_body(delivery, ""))["store_url"].is_null());

  delivery.format = WebhookFormat::slack;
  const json slack = json::parse(webhook_body(delivery, "https://uptime.example"));
  REQUIRE(slack.size() == 1);
  const std::string text = slack["text"];
  CHECK(text.find("Store north/7 b is back up at Sun 2023-03-12 04:30 EDT") != std::string::npos);
  CHECK(text.find("down since Sun 2023-03-12 01:00 EST, 1 h 30 min of business time") !=
        std::string::npos);
  CHECK(text.find("<https://uptime.example/#store=north%2F7%20b|open>") != std::string::npos);
  // A store id cannot make a link or a mention in Slack.
  delivery.store_id = "<!channel> & <https://evil.example|click>";
  const std::string hostile = json::parse(webhook_body(delivery, ""))["text"];
  CHECK(
      hostile.find("Store &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; is back up") !=
      std::string::npos);
  CHECK(hostile.find('<') == std::string::npos);
}

TEST_CASE("webhooks: bad ones are refused with the reason", "[webhooks]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const auto refused = [&](Webhook webhook, const std::string& reason) {
    INFO(reason);
    CHECK_THROWS_WITH(create_webhook(db, webhook), Catch::Contains(reason));
  };
  refused(webhook_to("ftp://example.com/"), "http:// or https://");
  refused(webhook_to("http:///path"), "no host");
  refused(webhook_to("http://exa mple.com/"), "space");
  Webhook short_secret = webhook_to("http://example.com/");
  short_secret.secret = "short";
  refused(short_secret, "16 to 256");
  Webhook both = webhook_to("http://example.com/");
  both.stores = {"a"};
  both.tag = "north";
  refused(both, "not both");
  CHECK(list_webhooks(db).empty());
}

TEST_CASE("webhooks: an event goes to the webhooks that want its type and store", "[webhooks]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  test::import_text(db, Dataset::tags, "store_id,tag\na,north\n");
  const std::int64_t all = create_webhook(db, webhook_to("http://127.0.0.1:9/all"));
  Webhook recoveries = webhook_to("http://127.0.0.1:9/recoveries");
  recoveries.events = {AlertType::recovered};
  const std::int64_t recovered_only = create_webhook(db, recoveries);
  Webhook listed = webhook_to("http://127.0.0.1:9/b");
  listed.stores = {"b", "not-yet-a-store"};
  const std::int64_t store_b = create_webhook(db, listed);
  Webhook tagged = webhook_to("https://127.0.0.1:9/north");
  tagged.tag = "north";
  const std::int64_t north = create_webhook(db, tagged);

  test::ingest_live_polls(db, "a,inactive,2023-01-25 10:00:00\nb,inactive,2023-01-25 10:00:00\n",
                          "2023-01-25 10:01:00");
  CHECK(pending_for(db, all) == std::vector<std::string>{"a store.down", "b store.down"});
  CHECK(pending_for(db, recovered_only).empty());
  CHECK(pending_for(db, store_b) == std::vector<std::string>{"b store.down"});
  CHECK(pending_for(db, north) == std::vector<std::string>{"a store.down"});

  const auto listed_back = list_webhooks(db);
  REQUIRE(listed_back.size() == 4);
  CHECK(listed_back[0].events.size() == 4);
  CHECK(listed_back[2].stores == std::vector<std::string>{"b", "not-yet-a-store"});
  CHECK(listed_back[3].tag == "north");
  CHECK(delete_webhook(db, all));
  CHECK_FALSE(delete_webhook(db, all));
  CHECK(pending_for(db, all).empty());
  CHECK(read_outbox(db).pending == 2);  // b's and north's
}

TEST_CASE("webhooks: per webhook and store, only the oldest pending delivery is due",
          "[webhooks]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const std::int64_t id = create_webhook(db, webhook_to("http://127.0.0.1:9/"));
  test::ingest_live_polls(db, "a,inactive,2023-01-25 10:00:00\nb,inactive,2023-01-25 10:00:00\n",
                          "2023-01-25 10:01:00");
  test::ingest_live_polls(db, "a,active,2023-01-25 11:00:00\n", "2023-01-25 11:01:00");
  CHECK(pending_for(db, id) == std::vector<std::string>{"a store.down", "b store.down"});

  const Instant far = at("2100-01-01 00:00:00");
  const auto first_of_a = [&] {
    for (const Delivery& delivery : due_deliveries(db, far, 10)) {
      if (delivery.store_id == "a") return delivery;
    }
    FAIL("no delivery of a");
    return Delivery{};
  };
  // A failed attempt keeps a's order: its recovery waits behind the down.
  const Delivery down = first_of_a();
  record_attempt(db, down.id, {far, 500, "answered HTTP 500", far + std::chrono::seconds{1}});
  // b's only: a's down is not due yet, and a's recovery waits behind it.
  CHECK(pending_for(db, id) == std::vector<std::string>{"b store.down"});
  CHECK(read_outbox(db).pending == 3);
  record_attempt(db, down.id, {far, 200, "", std::nullopt});
  const Delivery recovered = first_of_a();
  CHECK(recovered.type == AlertType::recovered);
  CHECK(recovered.attempts == 0);
  // Given up: failed, and the next in order goes.
  record_attempt(db, recovered.id, {far, std::nullopt, "no answer", std::nullopt});
  CHECK(pending_for(db, id) == std::vector<std::string>{"b store.down"});
  const auto states = event_deliveries(db, {1, 2, 3});
  REQUIRE(states.size() == 3);
  CHECK(states[0].state == DeliveryState::delivered);
  CHECK(states[0].attempts == 2);
  CHECK(states[1].state == DeliveryState::pending);
  CHECK(states[2].state == DeliveryState::failed);
  CHECK(states[2].last_error == "no answer");
}

TEST_CASE("webhooks: a scripted day of polls and clock ticks, delivered once each in order",
          "[webhooks]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  // Open 09:00-17:00 New York time on Wednesday and Thursday.
  test::import_text(db, Dataset::hours,
                    "store_id,dayOfWeek,start_time_local,end_time_local\n"
                    "a,2,09:00,17:00\na,3,09:00,17:00\n");
  test::import_text(db, Dataset::zones, "store_id,timezone_str\na,America/New_York\n");
  Receiver receiver(kSecret);
  create_webhook(db, webhook_to(receiver.url("/all")));
  Webhook night_owl = webhook_to(receiver.url("/other"));
  night_owl.stores = {"someone-else"};
  create_webhook(db, night_owl);

  const auto poll = [&](const std::string& status, const std::string& time) {
    // Each poll arrives a minute after its instant.
    test::ingest_live_polls(db, "a," + status + "," + time + "\n",
                            plain(at(time) + std::chrono::minutes{1}));
  };
  poll("active", "2023-01-25 13:30:00");    // 08:30 local, before opening
  poll("inactive", "2023-01-25 14:30:00");  // 09:30: down
  poll("inactive", "2023-01-25 15:30:00");  // still down: nothing more
  poll("active", "2023-01-25 16:30:00");    // recovered after 2 h
  // From 18:00 local on: inactive and closed, nothing; hourly polls keep it heard.
  for (int hour = 23; hour <= 37; ++hour) {
    poll("inactive", plain(at("2023-01-25 00:00:00") + std::chrono::hours{hour}));
  }
  // Thursday 09:00:30 local: opening with the latest poll inactive.
  CHECK(raise_time_alerts(db, at("2023-01-26 14:00:30"), {}) == 1);
  poll("active", "2023-01-26 14:15:00");  // recovered: 14:45 min of business time
  // No poll after 14:15; at 16:30 (11:30 local) more than 2 h have passed.
  CHECK(raise_time_alerts(db, at("2023-01-26 16:30:00"), {}) == 1);
  poll("active", "2023-01-26 16:45:00");  // heard
  // A backfill, a day late: nothing.
  test::ingest_live_polls(db, "a,inactive,2023-01-26 17:45:00\n", "2023-01-27 18:00:00");

  Metrics metrics;
  {
    const auto lease = open_worker_lease(path);
    WebhookDelivery delivery(path, *lease, DeliverySettings{}, metrics);
    const auto events = receiver.wait_for(6);
    std::this_thread::sleep_for(std::chrono::milliseconds{300});  // nothing more may come
    REQUIRE(receiver.received() == 6);
    std::vector<std::string> sequence;
    for (const json& event : events) sequence.push_back(event["type"]);
    CHECK(sequence == std::vector<std::string>{"store.down", "store.recovered", "store.down",
                                               "store.recovered", "store.silent", "store.heard"});
    CHECK(events[0]["at_local"] == "2023-01-25T09:30:00-05:00");
    CHECK(events[1]["downtime_seconds"] == 7200.0);
    CHECK(events[2]["at"] == "2023-01-26T14:00:30.000000Z");
    // Down since the first inactive poll (Wednesday 18:00 local); business
    // time counts from Thursday's opening to the recovery.
    CHECK(events[3]["incident_start_local"] == "2023-01-25T18:00:00-05:00");
    CHECK(events[3]["downtime_seconds"] == 15 * 60.0);
    CHECK(receiver.signatures_ok());
  }
  CHECK(read_outbox(db).pending == 0);
}
