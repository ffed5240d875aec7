// Who a request comes from behind trusted proxies (client_address.hpp), and
// which Host names and pages the server refuses (request_origin.hpp).
#include <catch2/catch.hpp>

#include "server/client_address.hpp"
#include "server/request_origin.hpp"

TEST_CASE("address ranges: IPv4, IPv6 and mapped IPv4", "[client_address]") {
  const auto ten = parse_address_range("10.0.0.0/8");
  REQUIRE(ten);
  CHECK(in_range(*ten, *parse_ip_address("10.200.3.4")));
  CHECK(in_range(*ten, *parse_ip_address("::ffff:10.1.2.3")));
  CHECK_FALSE(in_range(*ten, *parse_ip_address("11.0.0.1")));
  const auto one = parse_address_range("192.168.1.7");
  CHECK(in_range(*one, *parse_ip_address("192.168.1.7")));
  CHECK_FALSE(in_range(*one, *parse_ip_address("192.168.1.8")));
  CHECK(in_range(*parse_address_range("10.1.2.3/8"), *parse_ip_address("10.9.9.9")));
  const auto v6 = parse_address_range("fd00::/8");
  CHECK(in_range(*v6, *parse_ip_address("fd12::1")));
  CHECK_FALSE(in_range(*v6, *parse_ip_address("fe80::1")));
  for (const char* bad :
       {"", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "host", "10.0.0.256"}) {
    INFO(bad);
    CHECK_FALSE(parse_address_range(bad));
  }
}

TEST_CASE("the client behind trusted proxies is the rightmost untrusted address",
          "[client_address]") {
  const std::vector<AddressRange> trusted = {*parse_address_range("10.0.0.0/8")};
  // Not from a trusted proxy: X-Forwarded-For is anyone's to write.
  CHECK(client_address("203.0.113.9", "1.2.3.4", trusted) == "203.0.113.9");
  CHECK(client_address("10.0.0.1", "", trusted) == "10.0.0.1");
  CHECK(client_address("10.0.0.1", "203.0.113.5", trusted) == "203.0.113.5");
  // A client may send its own X-Forwarded-For: only the proxy's entry counts.
  CHECK(client_address("10.0.0.1", "6.6.6.6, 203.0.113.5", trusted) == "203.0.113.5");
  // Two proxies of ours in a row.
  CHECK(client_address("10.0.0.1", "203.0.113.5 ,10.0.0.2", trusted) == "203.0.113.5");
  // Everything trusted: the leftmost.
  CHECK(client_address("10.0.0.1", "10.0.0.3, 10.0.0.2", trusted) == "10.0.0.3");
  // A malformed entry: what lies left of it cannot be believed.
  CHECK(client_address("10.0.0.1", "203.0.113.5, garbage, 10.0.0.2", trusted) == "10.0.0.2");
  CHECK(client_address("10.0.0.1", "garbage", trusted) == "10.0.0.1");
  CHECK(client_address("10.0.0.1", "203.0.113.5", {}) == "10.0.0.1");
}

TEST_CASE("Host: loopback, the bound address, allowed and public names; nothing else",
          "[request_origin]") {
  OriginPolicy policy;
  policy.bound_address = "127.0.0.1";
  policy.allowed_hosts = {"uptime.example.com"};
  policy.public_url = "https://status.example.org/uptime";
  for (const char* host : {"", "localhost", "localhost:8080", "LOCALHOST.", "app.localhost:3000",
                           "127.0.0.1:8080", "127.5.6.7", "[::1]:8080", "uptime.example.com",
                           "Uptime.Example.Com:443", "status.example.org"}) {
    INFO(host);
    CHECK_FALSE(host_refusal(policy, host));
  }
  for (const char* host : {"evil.example", "evil.example:8080", "127.0.0.1.evil.example",
                           "localhost.evil.example", "10.0.0.5", "[fe80::1]", "a b", "x@y"}) {
    INFO(host);
    CHECK(host_refusal(policy, host));
  }
  CHECK_THAT(*host_refusal(policy, "evil.example"), Catch::Contains("--allowed-host evil.example"));
  // Bound to every address: any address may be used; names still not.
  policy.bound_address = "0.0.0.0";
  CHECK_FALSE(host_refusal(policy, "10.0.0.5:8080"));
  CHECK(host_refusal(policy, "evil.example"));
  policy.bound_address = "::";
  CHECK_FALSE(host_refusal(policy, "[2001:db8::1]:8080"));
  policy.allowed_hosts = {"*"};
  CHECK_FALSE(host_refusal(policy, "anything.example"));
}

TEST_CASE("a page elsewhere may not change data; the server's own page and scripts may",
          "[request_origin]") {
  OriginPolicy policy;
  policy.cors_origins = {"http://127.0.0.1:3000"};
  policy.public_url = "https://uptime.example.com/";
  const auto refused = [&](const char* method, const char* origin, const char* fetch_site) {
    return cross_site_refusal(policy, method, "127.0.0.1:8080", origin, fetch_site).has_value();
  };
  CHECK(refused("POST", "http://evil.example", ""));
  CHECK(refused("DELETE", "null", ""));
  CHECK(refused("PUT", "http://127.0.0.1:8081", ""));  // another port is another origin
  CHECK(refused("POST", "", "cross-site"));
  CHECK_FALSE(refused("POST", "http://127.0.0.1:8080", "same-origin"));
  CHECK_FALSE(refused("POST", "HTTP://127.0.0.1:8080", ""));
  CHECK_FALSE(refused("POST", "http://127.0.0.1:3000", "cross-site"));  // allowed by CORS
  CHECK_FALSE(refused("POST", "https://uptime.example.com", ""));       // the public page
  CHECK_FALSE(refused("POST", "", ""));                                 // curl, scripts
  CHECK_FALSE(refused("POST", "", "same-site"));
  CHECK_FALSE(refused("GET", "http://evil.example", "cross-site"));  // reads change nothing
  policy.cors_origins = {"*"};
  CHECK_FALSE(refused("POST", "http://evil.example", ""));
}
