// Webhooks in the database: the webhooks an admin registers, and the outbox
// of deliveries that the delivery worker (server/webhook_delivery.hpp)
// works through. Deliveries are enqueued by alert_store in the transaction
// that raises their event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "core/timestamps.hpp"
#include "core/webhook_rules.hpp"
#include "storage/database.hpp"
#include "storage/shared_connection.hpp"
#include "storage/webhooks.hpp"

// Webhooks::create, list and remove on a connection (webhooks.hpp).
std::int64_t create_webhook(Database& db, const Webhook& webhook);
std::vector<Webhook> list_webhooks(Database& db);
bool delete_webhook(Database& db, std::int64_t id);

// The same through the server's connections: changes through `writer`,
// reads through `reader`, each held only for the call.
class SqliteWebhooks : public Webhooks {
 public:
  SqliteWebhooks(SharedConnection& writer, SharedConnection& reader)
      : writer_(writer), reader_(reader) {}
  std::int64_t create(const Webhook& webhook) override {
    return create_webhook(writer_.lock().db(), webhook);
  }
  std::vector<Webhook> list() override { return list_webhooks(reader_.lock().db()); }
  bool remove(std::int64_t id) override { return delete_webhook(writer_.lock().db(), id); }

 private:
  SharedConnection& writer_;
  SharedConnection& reader_;
};

// A pending delivery that is due, with what its request needs.
struct Delivery {
  std::int64_t id = 0;
  std::int64_t webhook = 0;
  std::int64_t store = 0;  // the store's key: with `webhook`, the order key
  int attempts = 0;        // made so far
  std::string url;
  std::string secret;
  WebhookFormat format = WebhookFormat::json;
  std::int64_t event_id = 0;
  AlertType type = AlertType::down;
  std::string store_id;
  std::string store_name;  // empty: none given
  std::string timezone;    // empty: the default zone
  Instant at;
  Instant raised;
  std::optional<Instant> incident_start;
  std::optional<HalfMicroseconds> downtime;
};

// Up to `limit` due deliveries at `now`, soonest first, at most one per
// webhook and store (the oldest pending one: in order), none of the webhooks
// in `skip`.
std::vector<Delivery> due_deliveries(Database& db, Instant now, std::size_t limit,
                                     const std::vector<std::int64_t>& skip = {});

// What came of one attempt.
struct DeliveryAttempt {
  Instant at;                   // when it ended
  std::optional<int> status;    // the HTTP status; nullopt: no answer
  std::string error;            // empty when delivered
  std::optional<Instant> next;  // failed attempt: when to try again; nullopt: given up
};
// Records the attempt: delivered (a 2xx status), pending with its next try,
// or failed.
void record_attempt(Database& db, std::int64_t delivery, const DeliveryAttempt& attempt);

struct DeliveryRecord {
  std::int64_t event = 0;
  std::int64_t webhook = 0;
  DeliveryState state = DeliveryState::pending;
  int attempts = 0;
  std::optional<Instant> next_attempt;
  std::optional<Instant> last_attempt;
  std::optional<int> last_status;
  std::string last_error;
};
// The deliveries of each of the events, in the order given, then by webhook.
std::vector<DeliveryRecord> event_deliveries(Database& db, const std::vector<std::int64_t>& events);

struct Outbox {
  std::int64_t pending = 0;
  std::optional<Instant> oldest_raised;  // the oldest pending delivery's event
};
Outbox read_outbox(Database& db);
