// Webhook delivery (issue 21), the parts that are rules rather than I/O: the
// body formats a webhook may ask for, the states of a delivery, and when a
// failed delivery is tried again. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/alerts.hpp"
#include "core/timestamps.hpp"

// "json": the event as a JSON object; "slack": {"text": ...} for
// Slack-compatible incoming webhooks.
enum class WebhookFormat { json, slack };
const char* webhook_format_name(WebhookFormat format);
std::optional<WebhookFormat> parse_webhook_format(const std::string& name);

// "store.down" -> AlertType::down; nullopt for anything else.
std::optional<AlertType> parse_alert_type(const std::string& name);

enum class DeliveryState { pending, delivered, failed };
const char* delivery_state_name(DeliveryState state);
std::optional<DeliveryState> parse_delivery_state(const std::string& name);

// After a failed attempt the next waits 1 s, 2 s, 4 s ... (doubling with
// each attempt, capped at `cap`); no attempt starts later than `give_up_after`
// past the event being raised: the delivery has failed.
struct RetryPolicy {
  std::chrono::seconds first{1};
  std::chrono::seconds cap{std::chrono::minutes{10}};
  std::chrono::seconds give_up_after{std::chrono::hours{24}};
};

// When to try again after `attempts` failed attempts (>= 1), the last ending
// at `now`, of an event raised at `raised` (UTC); nullopt: give up.
std::optional<Instant> next_attempt(const RetryPolicy& policy, int attempts, Instant raised,
                                    Instant now);
