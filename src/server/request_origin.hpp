// Which requests a web page elsewhere can make the operator's browser send,
// and which of them the server refuses (issue 30). A browser sends a page's
// POST to any address, tokens or not, so a server on the default settings
// (no token, loopback) would take data, webhooks and tokens from any page the
// operator opens; and a name that an attacker's DNS points at 127.0.0.1
// (DNS rebinding) makes the server the page's own origin. So:
// - the Host a request names must be this server's: a loopback name or
//   address, the bound address, the --public-url's host, or a name given
//   with --allowed-host (a name nobody else can point here);
// - a request that changes data (POST, PUT, PATCH, DELETE) from a page is
//   refused unless the page is the server's own origin, the --public-url's,
//   or one allowed with --cors-origin; without Origin, Sec-Fetch-Site:
//   cross-site is refused too. Clients that are not browsers (curl,
//   scripts) send neither field and are not affected.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct OriginPolicy {
  std::string bound_address;               // --host: an address, 0.0.0.0 / :: (any), or a name
  std::vector<std::string> allowed_hosts;  // --allowed-host names; "*" turns the Host check off
  std::vector<std::string> cors_origins;   // --cors-origin origins; "*" any
  std::string public_url;                  // --public-url: its host and origin are the server's
};

// Why the Host field `host` ("name", "name:port", "[v6]:port") names another
// server; nullopt when it names this one or is absent.
std::optional<std::string> host_refusal(const OriginPolicy& policy, std::string_view host);

// Why a request of `method` carrying `origin` and `fetch_site` (the Origin
// and Sec-Fetch-Site fields, "" when absent) to `host` is refused as a
// cross-site request; nullopt when it is allowed.
std::optional<std::string> cross_site_refusal(const OriginPolicy& policy, std::string_view method,
                                              std::string_view host, std::string_view origin,
                                              std::string_view fetch_site);
