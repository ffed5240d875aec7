// Webhook URLs (core/web_url.hpp): parsed once, each way of being wrong
// named, and shown redacted.
#include <catch2/catch.hpp>

#include "core/web_url.hpp"

TEST_CASE("web URLs: host, port and target as a request needs them", "[web_url]") {
  const auto url = parse_web_url("https://Hooks.Slack.com/services/T/B/X?a=1#frag").url;
  REQUIRE(url);
  CHECK(url->https);
  CHECK(url->host == "hooks.slack.com");
  CHECK(url->port == 443);
  CHECK(url->target == "/services/T/B/X?a=1");
  CHECK(url->authority == "Hooks.Slack.com");
  CHECK(url->origin() == "https://hooks.slack.com");

  const auto local = parse_web_url("http://127.0.0.1:8081?x=1").url;
  REQUIRE(local);
  CHECK(local->port == 8081);
  CHECK(local->target == "/?x=1");
  CHECK(local->origin() == "http://127.0.0.1:8081");

  const auto v6 = parse_web_url("http://[::1]:9000/hook").url;
  REQUIRE(v6);
  CHECK(v6->ipv6);
  CHECK(v6->host == "::1");
  CHECK(v6->authority == "[::1]:9000");
  CHECK(v6->origin() == "http://[::1]:9000");
}

TEST_CASE("web URLs: each way of being wrong is named", "[web_url]") {
  const auto problem = [](const std::string& text) { return parse_web_url(text).problem; };
  CHECK_THAT(problem("ftp://x/"), Catch::Contains("http:// or https://"));
  CHECK_THAT(problem("http://127.0.0.1:/x"), Catch::Contains("empty port"));
  CHECK_THAT(problem("http://127.0.0.1:0/x"), Catch::Contains("1 to 65535"));
  CHECK_THAT(problem("http://127.0.0.1:65536/x"), Catch::Contains("1 to 65535"));
  CHECK_THAT(problem("http://127.0.0.1:99999999999999999999/x"), Catch::Contains("1 to 65535"));
  CHECK_THAT(problem("http://user:pass@example.com/"), Catch::Contains("user or password"));
  CHECK_THAT(problem("http:///path"), Catch::Contains("no host"));
  CHECK_THAT(problem("http://exa mple.com/"), Catch::Contains("space"));
  CHECK_THAT(problem("http://[::1/x"), Catch::Contains("unclosed"));
  CHECK_THAT(problem("http://ex<ample.com/"), Catch::Contains("host name"));
  CHECK_THAT(problem("http://x/" + std::string(2000, 'a')), Catch::Contains("2,000"));
  CHECK(problem("http://example.com").empty());
}

TEST_CASE("web URLs are shown without their path and query", "[web_url]") {
  CHECK(redacted_url("https://hooks.slack.com/services/T000/B000/XXXX") ==
        "https://hooks.slack.com/…");
  CHECK(redacted_url("http://127.0.0.1:8080/?token=secret") == "http://127.0.0.1:8080/…");
  CHECK(redacted_url("https://example.com") == "https://example.com/");
  CHECK(redacted_url("not a url at all") == "(not a URL)");
}
