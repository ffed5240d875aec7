// The webhooks an admin registers, wherever they are kept: /admin/webhooks
// goes through `Webhooks`; SQLite (SqliteWebhooks, webhook_store.hpp, where
// the outbox of deliveries is too) and PostgreSQL (PgWebhooks,
// postgresql/pg_webhooks.hpp) are behind it, the same rules in both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/alerts.hpp"
#include "core/timestamps.hpp"
#include "core/webhook_rules.hpp"

struct Webhook {
  std::int64_t id = 0;
  std::string url;     // http:// or https://
  std::string secret;  // signs every request; never listed
  WebhookFormat format = WebhookFormat::json;
  std::vector<AlertType> events;    // the types wanted; empty: all four
  std::vector<std::string> stores;  // only these store ids; with no tag either: all stores
  std::string tag;                  // only stores with this tag
  Instant created;
};

class Webhooks {
 public:
  virtual ~Webhooks() = default;

  // Checks the webhook (check_new_webhook) and keeps it, with every event
  // type when it names none; returns its id. Throws InvalidInput (errors.hpp)
  // with the reason when it is not valid.
  virtual std::int64_t create(const Webhook& webhook) = 0;
  // Every webhook, oldest first, secrets included (the caller leaves them
  // out); each one's event types in the enum's order, its stores sorted.
  virtual std::vector<Webhook> list() = 0;
  // Deletes the webhook and its deliveries (its events stay); false when
  // there is none.
  virtual bool remove(std::int64_t id) = 0;
};

// What a new webhook must be: a web URL (web_url.hpp), a secret of 16 to 256
// characters, limited by store ids or a tag, not both. InvalidInput otherwise.
void check_new_webhook(const Webhook& webhook);

// The event types a webhook is kept with: its own, or all four.
std::vector<AlertType> webhook_types(const Webhook& webhook);
