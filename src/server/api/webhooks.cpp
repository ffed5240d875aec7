// Webhooks: an admin registers, lists and deletes the receivers of alert
// events (never showing their secrets, their URLs redacted).
#include "storage/webhooks.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/errors.hpp"
#include "common/log.hpp"
#include "core/text.hpp"
#include "core/web_url.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void list_webhooks(ApiContext& api, httplib::Response& response) {
  json webhooks = json::array();
  for (const Webhook& webhook : api.db.webhooks->list()) {
    webhooks.push_back(webhook_json(webhook));
  }
  send_json(response, 200, json{{"webhooks", webhooks}});
}

void add_webhook(ApiContext& api, const httplib::Request& request, httplib::Response& response) {
  const json body = json_object_body(request);
  Webhook webhook;
  webhook.created = wall_clock_now();
  for (const auto& [key, value] : body.items()) {
    if (key == "url" && value.is_string()) {
      webhook.url = value.get<std::string>();
    } else if (key == "secret" && value.is_string()) {
      webhook.secret = value.get<std::string>();
    } else if (key == "format" && value.is_string()) {
      const auto format = parse_webhook_format(value.get<std::string>());
      if (!format) throw InvalidInput("format must be 'json' or 'slack'");
      webhook.format = *format;
    } else if (key == "events") {
      for (const std::string& name : string_array(value, key)) {
        const auto type = parse_alert_type(name);
        if (!type) {
          throw InvalidInput("unknown event '" + name +
                             "' (known: store.down, store.recovered, store.silent, "
                             "store.heard)");
        }
        webhook.events.push_back(*type);
      }
      if (webhook.events.empty()) throw InvalidInput("events, when given, names at least one");
    } else if (key == "stores") {
      webhook.stores = string_array(value, key);
      if (webhook.stores.empty()) throw InvalidInput("stores, when given, names at least one");
    } else if (key == "tag" && value.is_string()) {
      webhook.tag = value.get<std::string>();
    } else {
      throw InvalidInput("unknown or mistyped key '" + key +
                         "' (known: url, secret, format, events, stores, tag)");
    }
  }
  if (webhook.url.empty()) throw InvalidInput("url is missing");
  if (webhook.secret.empty()) throw InvalidInput("secret is missing");
  webhook.id = api.db.webhooks->create(webhook);
  // A receiver's path or query often holds its own secret: shown redacted.
  const std::string shown = redacted_url(webhook.url);
  log_info("webhook " + std::to_string(webhook.id) + " created for " + printable(shown),
           {{"webhook", webhook.id}, {"url", shown}});
  webhook.events = webhook_types(webhook);
  send_json(response, 200, webhook_json(webhook));
}

void delete_webhook_route(ApiContext& api, const std::string& text, Response& response) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw InvalidInput("a webhook id is a number, got '" + text + "'");
  }
  const std::int64_t id = std::stoll(text);
  if (!api.db.webhooks->remove(id)) {
    throw NotFound("no webhook with id " + std::to_string(id));
  }
  log_info("webhook " + std::to_string(id) + " deleted", {{"webhook", id}});
  send_json(response, 200, json{{"deleted", id}});
}

}  // namespace

std::vector<Route> webhook_routes(ApiContext& api) {
  return {
      make_route("GET", "/admin/webhooks", "/admin/webhooks", Access::admin, BodyUse::none,
                 [&api](const Request&, Response& a, const Caller&) { list_webhooks(api, a); }),
      make_route(
          "POST", "/admin/webhooks", "/admin/webhooks", Access::admin, BodyUse::required,
          [&api](const Request& q, Response& a, const Caller&) { add_webhook(api, q, a); },
          kJsonBody),
      make_route("DELETE", "/admin/webhooks/([^/]+)", "/admin/webhooks/{id}", Access::admin,
                 BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller&) {
                   delete_webhook_route(api, q.matches[1], a);
                 }),
  };
}
