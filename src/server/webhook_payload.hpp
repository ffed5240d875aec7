// What a webhook receives for one delivery: the body in the webhook's format
// and its signature. See README "Alerts and webhooks" for the fields.
#pragma once

#include <string>

#include "storage/deliveries.hpp"

// The request body: a JSON object with the event (id, type, store, instants
// in UTC and in the store's local time, the store's page URL when
// `public_url` is set), or {"text": ...} for format slack.
std::string webhook_body(const Delivery& delivery, const std::string& public_url);

// "sha256=" and the lower-case hex HMAC-SHA256 of the body with the secret:
// the X-Uptime-Signature header.
std::string webhook_signature(const std::string& secret, const std::string& body);
