#include "core/web_url.hpp"

#include <cctype>

#include "core/text.hpp"

namespace {

constexpr std::size_t kMaxUrlLength = 2000;

bool host_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '%';
}

}  // namespace

std::string WebUrl::origin() const {
  std::string text = https ? "https://" : "http://";
  text += ipv6 ? "[" + host + "]" : host;
  const int default_port = https ? 443 : 80;
  if (port != default_port) text += ":" + std::to_string(port);
  return text;
}

WebUrlParse parse_web_url(std::string_view text) {
  const auto problem = [&](const std::string& what) {
    return WebUrlParse{std::nullopt, "url " + what + ": '" + printable(text) + "'"};
  };
  if (text.size() > kMaxUrlLength) {
    return WebUrlParse{std::nullopt, "url is longer than 2,000 characters"};
  }
  for (unsigned char c : text) {
    if (c <= ' ' || c == 0x7f) return problem("holds a space or a control byte");
  }
  WebUrl url;
  const std::string lower = ascii_lower(text.substr(0, 8));
  std::size_t at = 0;
  if (lower.rfind("http://", 0) == 0) {
    at = 7;
  } else if (lower.rfind("https://", 0) == 0) {
    url.https = true;
    at = 8;
  } else {
    return problem("must begin with http:// or https://");
  }
  const std::size_t authority_end = text.find_first_of("/?#", at);
  const std::string_view authority =
      text.substr(at, authority_end == std::string_view::npos ? text.npos : authority_end - at);
  if (authority.find('@') != std::string_view::npos) {
    return problem("must not hold a user or password (put a secret in the webhook's secret)");
  }
  std::string_view host = authority;
  std::string_view port_text;
  bool has_port = false;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return problem("has an unclosed '[' in its host");
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && after.front() != ':') return problem("has text after its IPv6 host");
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
    host = host.substr(1, close - 1);
    url.ipv6 = true;
    for (char c : host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return problem("has an IPv6 host that is not one");
      }
    }
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    has_port = true;
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return problem("has no host");
  if (!url.ipv6) {
    for (char c : host) {
      if (!host_character(c)) return problem("has a character a host name cannot hold");
    }
  }
  url.host = ascii_lower(host);
  url.port = url.https ? 443 : 80;
  if (has_port) {
    if (port_text.empty()) return problem("has an empty port (remove the ':' or give a number)");
    int port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) {
        return problem("has a port that is not a number from 1 to 65535");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return problem("has a port that is not a number from 1 to 65535");
    url.port = port;
  }
  url.authority = std::string(authority);
  if (authority_end != std::string_view::npos) {
    const std::string_view rest = text.substr(authority_end);
    url.target = std::string(rest.substr(0, rest.find('#')));
  }
  if (url.target.empty()) url.target = "/";
  if (url.target.front() == '?') url.target = "/" + url.target;
  return WebUrlParse{url, ""};
}

std::string redacted_url(std::string_view text) {
  const WebUrlParse parsed = parse_web_url(text);
  if (!parsed.url) return "(not a URL)";
  const bool has_rest = parsed.url->target != "/";
  return parsed.url->origin() + (has_rest ? "/…" : "/");
}
