// Webhooks in the database: the webhooks an admin registers, and the outbox
// of deliveries that the delivery worker (server/webhook_delivery.hpp)
// works through. Deliveries are enqueued by alert_store in the transaction
// that raises their event.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "core/timestamps.hpp"
#include "core/webhook_rules.hpp"
#include "storage/database.hpp"
#include "storage/deliveries.hpp"
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

// Deliveries::due and record_attempt (deliveries.hpp) on a connection.
std::vector<Delivery> due_deliveries(Database& db, Instant now, std::size_t limit,
                                     const std::vector<std::int64_t>& skip = {});
void record_attempt(Database& db, std::int64_t delivery, const DeliveryAttempt& attempt);

// The same on a connection of its own, one call at a time.
class SqliteDeliveries : public Deliveries {
 public:
  explicit SqliteDeliveries(const std::string& path) : db_(path) {}
  std::vector<Delivery> due(Instant now, std::size_t limit,
                            const std::vector<std::int64_t>& skip) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return due_deliveries(db_, now, limit, skip);
  }
  void record_attempt(std::int64_t delivery, const DeliveryAttempt& attempt) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ::record_attempt(db_, delivery, attempt);
  }

 private:
  std::mutex mutex_;
  Database db_;
};

// The deliveries of each of the events, in the order given, then by webhook.
std::vector<DeliveryRecord> event_deliveries(Database& db, const std::vector<std::int64_t>& events);

struct Outbox {
  std::int64_t pending = 0;
  std::optional<Instant> oldest_raised;  // the oldest pending delivery's event
};
Outbox read_outbox(Database& db);
