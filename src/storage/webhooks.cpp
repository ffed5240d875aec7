#include "storage/webhooks.hpp"

#include <iterator>

#include "common/errors.hpp"
#include "core/web_url.hpp"

void check_new_webhook(const Webhook& webhook) {
  if (const WebUrlParse url = parse_web_url(webhook.url); !url.url) {
    throw InvalidInput(url.problem);
  }
  if (webhook.secret.size() < 16 || webhook.secret.size() > 256) {
    throw InvalidInput("secret must be 16 to 256 characters");
  }
  if (!webhook.stores.empty() && !webhook.tag.empty()) {
    throw InvalidInput("a webhook is limited by store ids or by a tag, not both");
  }
}

std::vector<AlertType> webhook_types(const Webhook& webhook) {
  return webhook.events.empty()
             ? std::vector<AlertType>(std::begin(kAlertTypes), std::end(kAlertTypes))
             : webhook.events;
}
