#include "storage/webhook_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <stdexcept>

#include "storage/embedded_sql.hpp"
#include "storage/sql_values.hpp"

namespace {

void bind_text_or_null(SQLite::Statement& statement, int index, const std::string& text) {
  if (text.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, text);
  }
}

}  // namespace

std::int64_t create_webhook(Database& db, const Webhook& webhook) {
  check_new_webhook(webhook);
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement insert(db.sql(), sql::query("insert_webhook"));
  insert.bind(1, webhook.url);
  insert.bind(2, webhook.secret);
  insert.bind(3, webhook_format_name(webhook.format));
  bind_text_or_null(insert, 4, webhook.tag);
  insert.bind(5, to_micros(webhook.created));
  insert.exec();
  const std::int64_t id = db.sql().getLastInsertRowid();
  SQLite::Statement add_type(db.sql(), sql::query("insert_webhook_event"));
  for (AlertType type : webhook_types(webhook)) {
    add_type.bind(1, id);
    add_type.bind(2, alert_type_name(type));
    add_type.exec();
    add_type.reset();
  }
  SQLite::Statement add_store(db.sql(), sql::query("insert_webhook_store"));
  for (const std::string& store_id : webhook.stores) {
    add_store.bind(1, id);
    add_store.bind(2, store_id);
    add_store.exec();
    add_store.reset();
  }
  transaction.commit();
  return id;
}

std::vector<Webhook> list_webhooks(Database& db) {
  std::vector<Webhook> webhooks;
  SQLite::Statement query(db.sql(), sql::query("list_webhooks"));
  SQLite::Statement types(db.sql(), sql::query("webhook_event_types"));
  SQLite::Statement stores(db.sql(), sql::query("webhook_store_ids"));
  while (query.executeStep()) {
    Webhook webhook;
    webhook.id = query.getColumn(0).getInt64();
    webhook.url = query.getColumn(1).getString();
    webhook.secret = query.getColumn(2).getString();
    webhook.format = parse_webhook_format(query.getColumn(3).getString()).value();
    if (!query.getColumn(4).isNull()) webhook.tag = query.getColumn(4).getString();
    webhook.created = from_micros(query.getColumn(5).getInt64());
    types.bind(1, webhook.id);
    while (types.executeStep()) {
      webhook.events.push_back(parse_alert_type(types.getColumn(0).getString()).value());
    }
    types.reset();
    std::sort(webhook.events.begin(), webhook.events.end());  // in the enum's order
    stores.bind(1, webhook.id);
    while (stores.executeStep()) webhook.stores.push_back(stores.getColumn(0).getString());
    stores.reset();
    webhooks.push_back(std::move(webhook));
  }
  return webhooks;
}

bool delete_webhook(Database& db, std::int64_t id) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  for (const char* name : {"delete_webhook_events", "delete_webhook_stores",
                           "delete_webhook_deliveries", "delete_webhook"}) {
    SQLite::Statement statement(db.sql(), sql::query(name));
    statement.bind(1, id);
    if (statement.exec() == 0 && std::string(name) == "delete_webhook") return false;
  }
  transaction.commit();
  return true;
}

std::vector<Delivery> due_deliveries(Database& db, Instant now, std::size_t limit,
                                     const std::vector<std::int64_t>& skip) {
  std::vector<Delivery> due;
  std::string skipped = "[";
  for (std::int64_t webhook : skip) {
    skipped += (skipped.size() > 1 ? "," : "") + std::to_string(webhook);
  }
  skipped += "]";
  SQLite::Statement query(db.sql(), sql::query("due_deliveries"));
  query.bind(1, to_micros(now));
  query.bind(2, static_cast<std::int64_t>(limit));
  query.bind(3, skipped);
  while (query.executeStep()) {
    Delivery delivery;
    delivery.id = query.getColumn(0).getInt64();
    delivery.event_id = query.getColumn(1).getInt64();
    delivery.webhook = query.getColumn(2).getInt64();
    delivery.store = query.getColumn(3).getInt64();
    delivery.attempts = query.getColumn(4).getInt();
    delivery.raised = from_micros(query.getColumn(5).getInt64());
    delivery.url = query.getColumn(6).getString();
    delivery.secret = query.getColumn(7).getString();
    delivery.format = parse_webhook_format(query.getColumn(8).getString()).value();
    delivery.store_id = query.getColumn(9).getString();
    if (!query.getColumn(10).isNull()) delivery.timezone = query.getColumn(10).getString();
    delivery.type = parse_alert_type(query.getColumn(11).getString()).value();
    delivery.at = from_micros(query.getColumn(12).getInt64());
    delivery.incident_start = optional_instant(query.getColumn(13));
    if (!query.getColumn(14).isNull()) {
      delivery.downtime = std::chrono::microseconds{query.getColumn(14).getInt64()};
    }
    if (!query.getColumn(15).isNull()) delivery.store_name = query.getColumn(15).getString();
    due.push_back(std::move(delivery));
  }
  return due;
}

void record_attempt(Database& db, std::int64_t delivery, const DeliveryAttempt& attempt) {
  const DeliveryState state = delivery_state_after(attempt);
  SQLite::Statement update(db.sql(), sql::query("delivery_attempted"));
  update.bind(1, delivery);
  update.bind(2, delivery_state_name(state));
  bind_optional(update, 3, state == DeliveryState::pending ? attempt.next : std::nullopt);
  update.bind(4, to_micros(attempt.at));
  if (attempt.status) {
    update.bind(5, *attempt.status);
  } else {
    update.bind(5);
  }
  bind_text_or_null(update, 6, attempt.error);
  update.exec();
}

std::vector<DeliveryRecord> event_deliveries(Database& db,
                                             const std::vector<std::int64_t>& events) {
  std::vector<DeliveryRecord> deliveries;
  SQLite::Statement query(db.sql(), sql::query("event_deliveries"));
  for (std::int64_t event : events) {
    query.bind(1, event);
    while (query.executeStep()) {
      DeliveryRecord record;
      record.event = query.getColumn(0).getInt64();
      record.webhook = query.getColumn(1).getInt64();
      record.state = parse_delivery_state(query.getColumn(2).getString()).value();
      record.attempts = query.getColumn(3).getInt();
      record.next_attempt = optional_instant(query.getColumn(4));
      record.last_attempt = optional_instant(query.getColumn(5));
      if (!query.getColumn(6).isNull()) record.last_status = query.getColumn(6).getInt();
      if (!query.getColumn(7).isNull()) record.last_error = query.getColumn(7).getString();
      deliveries.push_back(std::move(record));
    }
    query.reset();
  }
  return deliveries;
}

Outbox read_outbox(Database& db) {
  SQLite::Statement query(db.sql(), sql::query("outbox"));
  query.executeStep();
  return Outbox{query.getColumn(0).getInt64(), optional_instant(query.getColumn(1))};
}
