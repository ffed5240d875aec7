#include "storage/postgresql/pg_webhooks.hpp"

#include <algorithm>

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

PgWebhooks::PgWebhooks(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

std::int64_t PgWebhooks::create(const Webhook& webhook) {
  check_new_webhook(webhook);
  std::vector<std::string> types;
  for (const AlertType type : webhook_types(webhook)) types.emplace_back(alert_type_name(type));
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const PgResult inserted =
      db_.exec(sql::pg_query("insert_webhook"),
               {webhook.url, webhook.secret, std::string(webhook_format_name(webhook.format)),
                pg_text_or_null(webhook.tag), std::to_string(to_micros(webhook.created))});
  const std::string id = inserted.text(0, 0);
  db_.exec(sql::pg_query("insert_webhook_events"), {id, pg_text_array(types)});
  if (!webhook.stores.empty()) {
    db_.exec(sql::pg_query("insert_webhook_stores"), {id, pg_text_array(webhook.stores)});
  }
  transaction.commit();
  return inserted.int64(0, 0);
}

std::vector<Webhook> PgWebhooks::list() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Webhook> webhooks;
  const PgResult rows = db_.exec(sql::pg_query("list_webhooks"));
  for (int row = 0; row < rows.rows(); ++row) {
    Webhook webhook;
    webhook.id = rows.int64(row, 0);
    webhook.url = rows.text(row, 1);
    webhook.secret = rows.text(row, 2);
    webhook.format = parse_webhook_format(rows.text(row, 3)).value_or(WebhookFormat::json);
    if (!rows.is_null(row, 4)) webhook.tag = rows.text(row, 4);
    webhook.created = from_micros(rows.int64(row, 5));
    const std::string id = rows.text(row, 0);
    const PgResult types = db_.exec(sql::pg_query("webhook_event_types"), {id});
    for (int type = 0; type < types.rows(); ++type) {
      if (const auto parsed = parse_alert_type(types.text(type, 0)))
        webhook.events.push_back(*parsed);
    }
    std::sort(webhook.events.begin(), webhook.events.end());  // in the enum's order
    const PgResult stores = db_.exec(sql::pg_query("webhook_store_ids"), {id});
    for (int store = 0; store < stores.rows(); ++store)
      webhook.stores.emplace_back(stores.text(store, 0));
    webhooks.push_back(std::move(webhook));
  }
  return webhooks;
}

bool PgWebhooks::remove(std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const std::string key = std::to_string(id);
  for (const char* name :
       {"delete_webhook_events", "delete_webhook_stores", "delete_webhook_deliveries"}) {
    db_.exec(sql::pg_query(name), {key});
  }
  const bool removed = db_.exec(sql::pg_query("delete_webhook"), {key}).affected_rows() > 0;
  transaction.commit();
  return removed;
}
