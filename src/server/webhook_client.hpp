// One webhook request, bounded whatever the receiver does. A receiver is
// somebody else's server: it may accept and never answer, answer a byte a
// second, or answer gigabytes. So each attempt has one deadline for all of
// it (connect, TLS, send, read) instead of a timeout per read, and only the
// head of the answer is read (its status line and fields, at most
// kMaxAnswerHead bytes): the status is all a delivery needs. https is
// verified against the system's certificate authorities (OpenSSL's default
// paths; SSL_CERT_FILE names another bundle) and the URL's host name.
// Resolving the host name is bounded by the system resolver's own timeouts.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/web_url.hpp"

constexpr std::size_t kMaxAnswerHead = 16 << 10;  // bytes

struct WebhookPost {
  WebUrl url;
  std::vector<std::pair<std::string, std::string>> fields;  // header fields to send
  std::string content_type = "application/json";
  std::string body;
};

struct WebhookAnswer {
  std::optional<int> status;  // the answer's HTTP status; nullopt: none came
  std::string error;          // when there is no status: what went wrong, in a few words
};

// Sends `post` and reads the head of the answer, giving up at `deadline`
// or as soon as `stop` is set (checked at least every 100 ms).
WebhookAnswer post_webhook(const WebhookPost& post, std::chrono::steady_clock::time_point deadline,
                           const std::atomic<bool>& stop);
