// The outbox of webhook deliveries wherever it is kept: the delivery worker
// (server/webhook_delivery.hpp) claims the due ones and records each
// attempt through `Deliveries`. Deliveries are enqueued with their event, in
// the transaction that raises it (alert_store). SQLite (SqliteDeliveries,
// webhook_store.hpp) and PostgreSQL (PgDeliveries,
// postgresql/pg_deliveries.hpp) are behind it, the same order in both.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "core/timestamps.hpp"
#include "core/webhook_rules.hpp"

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

// What came of one attempt.
struct DeliveryAttempt {
  Instant at;                   // when it ended
  std::optional<int> status;    // the HTTP status; nullopt: no answer
  std::string error;            // empty when delivered
  std::optional<Instant> next;  // failed attempt: when to try again; nullopt: given up
};

// A delivery as /alerts shows it beside its event.
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

// What an attempt makes of its delivery: delivered (no error), pending (a
// next try), or failed (given up).
DeliveryState delivery_state_after(const DeliveryAttempt& attempt);

class Deliveries {
 public:
  virtual ~Deliveries() = default;

  // Up to `limit` due deliveries at `now`, soonest first, at most one per
  // webhook and store (the oldest pending one: in order), none of the
  // webhooks in `skip`.
  virtual std::vector<Delivery> due(Instant now, std::size_t limit,
                                    const std::vector<std::int64_t>& skip) = 0;
  // Records the attempt: delivered (no error), pending with its next try,
  // or failed (given up).
  virtual void record_attempt(std::int64_t delivery, const DeliveryAttempt& attempt) = 0;
};

// The outbox of the database `db` names: PostgreSQL for a postgresql:// or
// postgres:// URL, else the SQLite file at that path.
std::unique_ptr<Deliveries> open_deliveries(const std::string& db);
