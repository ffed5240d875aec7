#include "server/webhook_payload.hpp"

#include <date/tz.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/json_text.hpp"
#include "core/business_hours.hpp"
#include "core/store_timeline.hpp"
#include "server/token_secret.hpp"

using nlohmann::json;

namespace {

// "Mon 2023-01-23 09:00 CST": local wall clock for people, to the minute.
std::string local_words(const date::time_zone* zone, Instant instant) {
  const date::zoned_time<std::chrono::seconds> local(zone,
                                                     date::floor<std::chrono::seconds>(instant));
  return date::format("%a %Y-%m-%d %H:%M %Z", local);
}

// "2 h 05 min": a length to the minute, for people.
std::string length_words(HalfMicroseconds length) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(length).count();
  if (minutes < 60) return std::to_string(minutes) + " min";
  const auto rest = minutes % 60;
  return std::to_string(minutes / 60) + " h " + (rest < 10 ? "0" : "") + std::to_string(rest) +
         " min";
}

// The page's view of one store.
std::string store_url(const std::string& public_url, const std::string& store_id) {
  if (public_url.empty()) return "";
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/#store=" + httplib::detail::encode_query_param(store_id);
}

// Text as Slack reads it: &, < and > escaped, so that a store id cannot
// make a link or a mention.
std::string slack_escaped(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '&') {
      escaped += "&amp;";
    } else if (c == '<') {
      escaped += "&lt;";
    } else if (c == '>') {
      escaped += "&gt;";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string slack_text(const Delivery& delivery, const date::time_zone* zone,
                       const std::string& url) {
  const std::string store = delivery.store_name.empty()
                                ? "Store " + slack_escaped(delivery.store_id)
                                : slack_escaped(delivery.store_name) + " (store " +
                                      slack_escaped(delivery.store_id) + ")";
  const std::string when = local_words(zone, delivery.at);
  std::string text;
  switch (delivery.type) {
    case AlertType::down:
      text = ":red_circle: " + store + " is down during business hours (inactive at " + when + ")";
      break;
    case AlertType::recovered:
      text = ":large_green_circle: " + store + " is back up at " + when;
      if (delivery.incident_start) {
        text += "; down since " + local_words(zone, *delivery.incident_start);
      }
      if (delivery.downtime) text += ", " + length_words(*delivery.downtime) + " of business time";
      break;
    case AlertType::silent:
      text = ":grey_question: " + store + " has sent no poll during business hours (noticed " +
             when + ")";
      break;
    case AlertType::heard:
      text = ":speech_balloon: " + store + " is heard from again at " + when;
      break;
  }
  if (!url.empty()) text += " <" + url + "|open>";
  return text;
}

}  // namespace

std::string webhook_body(const Delivery& delivery, const std::string& public_url) {
  const date::time_zone* zone = zone_named(delivery.timezone);
  const std::string url = store_url(public_url, delivery.store_id);
  if (delivery.format == WebhookFormat::slack) {
    return json_text(json{{"text", slack_text(delivery, zone, url)}});
  }
  json body = {{"event_id", delivery.event_id},
               {"type", alert_type_name(delivery.type)},
               {"store_id", delivery.store_id},
               {"name", delivery.store_name.empty() ? json(nullptr) : json(delivery.store_name)},
               {"timezone", zone->name()},
               {"at", format_timestamp(delivery.at)},
               {"at_local", format_local(zone, FineInstant{delivery.at})},
               {"raised", format_timestamp(delivery.raised)},
               {"store_url", url.empty() ? json(nullptr) : json(url)}};
  if (delivery.incident_start) {
    body["incident_start"] = format_timestamp(*delivery.incident_start);
    body["incident_start_local"] = format_local(zone, FineInstant{*delivery.incident_start});
  }
  if (delivery.downtime) {
    body["downtime_seconds"] = std::chrono::duration<double>(*delivery.downtime).count();
  }
  return json_text(body);
}

std::string webhook_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + hmac_sha256_hex(secret, body);
}
