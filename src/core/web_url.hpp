// The http:// and https:// addresses a webhook may point at: parsed once,
// checked with a reason for each way one can be wrong, and shown redacted
// (a receiver's path or query often carries its own secret, as Slack's
// incoming webhooks do). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct WebUrl {
  bool https = false;
  std::string host;       // lower case; an IPv6 address without its brackets
  bool ipv6 = false;      // `host` is an IPv6 address
  int port = 80;          // as given, else the scheme's (80, 443)
  std::string target;     // path and query as given, "/" when there is none
  std::string authority;  // what the Host field says: "host" or "host:port"
  // "https://hooks.slack.com" or "http://127.0.0.1:8080": the receiver, in
  // lower case, with the port when one was given.
  std::string origin() const;
};

struct WebUrlParse {
  std::optional<WebUrl> url;
  std::string problem;  // when there is no url: what is wrong, naming the text
};

// Accepts http:// and https:// URLs of at most 2,000 characters with a host,
// an optional port from 1 to 65535, and no spaces, control bytes, user or
// password. A fragment (#...) is dropped.
WebUrlParse parse_web_url(std::string_view text);

// "https://hooks.slack.com/…" for "https://hooks.slack.com/services/T/B/X":
// the scheme, host and port, and "…" where a path or query was. Text that is
// not a URL shows only as "(not a URL)".
std::string redacted_url(std::string_view text);
