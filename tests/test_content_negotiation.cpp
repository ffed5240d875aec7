// RFC 9110 content negotiation between CSV and JSON, with the Accept headers
// real clients send.
#include <catch2/catch.hpp>

#include "server/content_negotiation.hpp"

TEST_CASE("clients' default Accept headers get the CSV", "[negotiation]") {
  CHECK_FALSE(prefers_json(""));                                   // curl without -H, no header
  CHECK_FALSE(prefers_json("*/*"));                                // curl, Python requests
  CHECK_FALSE(prefers_json("application/json, text/plain, */*"));  // axios
  CHECK_FALSE(prefers_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
  CHECK_FALSE(prefers_json("text/csv, application/json"));
  CHECK_FALSE(prefers_json("text/*, application/json"));
}

TEST_CASE("JSON only when preferred strictly over CSV", "[negotiation]") {
  CHECK(prefers_json("application/json"));
  CHECK(prefers_json("application/json, */*;q=0.5"));
  CHECK(prefers_json("text/csv;q=0.5, application/json"));
  CHECK(prefers_json("Application/JSON"));
  CHECK(prefers_json("application/*, text/csv;q=0.9"));
  CHECK_FALSE(prefers_json("application/json;q=0, text/csv"));
  CHECK_FALSE(prefers_json("application/json;q=bad"));  // a broken q never wins
}

TEST_CASE("q-values: the most specific range decides", "[negotiation]") {
  CHECK(accept_quality("text/*;q=0.3, text/csv;q=0.7, */*;q=0.1", "text/csv") == Approx(0.7));
  CHECK(accept_quality("text/*;q=0.3, */*;q=0.1", "text/csv") == Approx(0.3));
  CHECK(accept_quality("*/*;q=0.1", "text/csv") == Approx(0.1));
  CHECK(accept_quality("image/png", "text/csv") == 0);
  CHECK(accept_quality("text/csv; charset=utf-8; q=0.4", "text/csv") == Approx(0.4));
}

TEST_CASE("Accept-Encoding: gzip only when the client takes it", "[negotiation]") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));  // curl --compressed, browsers
  CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip(""));  // no header: identity
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("*, gzip;q=0"));  // named beats "*"
  CHECK_FALSE(accepts_gzip("gzip;q=nonsense"));
}
