#include "server/request_origin.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "server/client_address.hpp"

namespace {

// The name or address of a Host value, lower case, without port, brackets
// or a trailing dot; nullopt when it is not a host at all.
std::optional<std::string> host_name(std::string_view host) {
  std::string_view name = host;
  if (!name.empty() && name.front() == '[') {
    const std::size_t close = name.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = name.substr(close + 1);
    if (!after.empty() && after.front() != ':') return std::nullopt;
    name = name.substr(1, close - 1);
  } else if (const std::size_t colon = name.find(':'); colon != std::string_view::npos) {
    name = name.substr(0, colon);
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    const bool allowed =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == ':';
    if (!allowed) return std::nullopt;
  }
  return ascii_lower(name);
}

bool is_loopback(const std::array<unsigned char, 16>& address) {
  static const auto v4_loopback = parse_address_range("127.0.0.0/8");
  static const auto v6_loopback = parse_address_range("::1");
  return in_range(*v4_loopback, address) || in_range(*v6_loopback, address);
}

// 0.0.0.0 or :: : the server answers on every address the machine has.
bool is_wildcard(std::string_view bound) {
  static const auto any_v4 = parse_ip_address("0.0.0.0");
  const auto address = parse_ip_address(bound);
  return address && (*address == *any_v4 || std::all_of(address->begin(), address->end(),
                                                        [](unsigned char b) { return b == 0; }));
}

// "https://uptime.example.com:8443/x" -> "https://uptime.example.com:8443".
std::string origin_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  const std::size_t path = url.find_first_of("/?#", scheme + 3);
  return ascii_lower(url.substr(0, path));
}

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& item) { return equals_ignoring_case(item, value); });
}

}  // namespace

std::optional<std::string> host_refusal(const OriginPolicy& policy, std::string_view host) {
  host = trim_blanks(host);
  if (host.empty() || listed(policy.allowed_hosts, "*")) return std::nullopt;
  const auto name = host_name(host);
  const std::string shown = printable(host);
  if (!name) return "the Host field '" + shown + "' is not a host name";
  if (*name == "localhost" || (name->size() > 10 && name->rfind(".localhost") == name->size() - 10))
    return std::nullopt;
  if (const auto address = parse_ip_address(*name)) {
    const auto bound = parse_ip_address(policy.bound_address);
    if (is_loopback(*address) || is_wildcard(policy.bound_address) || (bound && *bound == *address))
      return std::nullopt;
  }
  if (equals_ignoring_case(*name, policy.bound_address) || listed(policy.allowed_hosts, *name))
    return std::nullopt;
  const std::string public_origin = origin_of(policy.public_url);
  if (!public_origin.empty() &&
      host_name(public_origin.substr(public_origin.find("://") + 3)) == name)
    return std::nullopt;
  return "this server does not answer to the name '" + shown +
         "' (a page whose name points here could read it); start it with --allowed-host " +
         printable(*name) + " to allow that name";
}

std::optional<std::string> cross_site_refusal(const OriginPolicy& policy, std::string_view method,
                                              std::string_view host, std::string_view origin,
                                              std::string_view fetch_site) {
  if (method != "POST" && method != "PUT" && method != "PATCH" && method != "DELETE") {
    return std::nullopt;
  }
  origin = trim_blanks(origin);
  host = trim_blanks(host);
  if (!origin.empty()) {
    const std::string given = ascii_lower(origin);
    const std::string own_host = ascii_lower(host);
    const bool own =
        !own_host.empty() && (given == "http://" + own_host || given == "https://" + own_host);
    if (own || listed(policy.cors_origins, "*") || listed(policy.cors_origins, given) ||
        (!policy.public_url.empty() && given == origin_of(policy.public_url))) {
      return std::nullopt;
    }
    return "a page on '" + printable(origin) +
           "' may not change data here (start the server with --cors-origin " + printable(origin) +
           " to allow it)";
  }
  if (equals_ignoring_case(trim_blanks(fetch_site), "cross-site")) {
    return "a cross-site request (Sec-Fetch-Site: cross-site) may not change data here";
  }
  return std::nullopt;
}
