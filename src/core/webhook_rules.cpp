#include "core/webhook_rules.hpp"

#include <algorithm>

const char* webhook_format_name(WebhookFormat format) {
  return format == WebhookFormat::slack ? "slack" : "json";
}

std::optional<WebhookFormat> parse_webhook_format(const std::string& name) {
  if (name == "json") return WebhookFormat::json;
  if (name == "slack") return WebhookFormat::slack;
  return std::nullopt;
}

std::optional<AlertType> parse_alert_type(const std::string& name) {
  for (AlertType type : kAlertTypes) {
    if (name == alert_type_name(type)) return type;
  }
  return std::nullopt;
}

const char* delivery_state_name(DeliveryState state) {
  switch (state) {
    case DeliveryState::pending:
      return "pending";
    case DeliveryState::delivered:
      return "delivered";
    case DeliveryState::failed:
      return "failed";
  }
  return "";
}

std::optional<DeliveryState> parse_delivery_state(const std::string& name) {
  for (DeliveryState state :
       {DeliveryState::pending, DeliveryState::delivered, DeliveryState::failed}) {
    if (name == delivery_state_name(state)) return state;
  }
  return std::nullopt;
}

std::optional<Instant> next_attempt(const RetryPolicy& policy, int attempts, Instant raised,
                                    Instant now) {
  // 2^(attempts-1) * first, doubled step by step so that it cannot overflow.
  std::chrono::seconds wait = policy.first;
  for (int n = 1; n < attempts && wait < policy.cap; ++n) wait *= 2;
  wait = std::min(wait, policy.cap);
  const Instant next = now + wait;
  if (next > raised + policy.give_up_after) return std::nullopt;
  return next;
}
