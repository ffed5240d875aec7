// Text helpers: case folding, UTF-8 checks, and making client bytes safe for
// a log line or a JSON answer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/json_text.hpp"
#include "core/text.hpp"

TEST_CASE("UTF-8: well-formed text passes, anything else fails", "[text]") {
  for (const char* good : {"", "store_001", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8d\x95",
                           "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf"}) {
    INFO(good);
    CHECK(is_valid_utf8(good));
  }
  for (const char* bad : {"\xff", "\xc3\x28", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                          "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "abc\xe2\x82", "\x80"}) {
    INFO(bad);
    CHECK_FALSE(is_valid_utf8(bad));
  }
}

TEST_CASE("printable escapes control characters and bytes that are not UTF-8", "[text]") {
  CHECK(printable("GET /a") == "GET /a");
  CHECK(printable("/a\nGET /forged 200") == "/a\\x0AGET /forged 200");
  CHECK(printable("\r\t\x7f") == "\\x0D\\x09\\x7F");
  CHECK(printable("caf\xc3\xa9 \xff") == "caf\xc3\xa9 \\xFF");
}

TEST_CASE("JSON text is valid whatever bytes its strings hold", "[text]") {
  const std::string text = json_text(nlohmann::json{{"error", "no such path: /\xff\xc3\x28"}});
  CHECK(is_valid_utf8(text));
  CHECK(nlohmann::json::parse(text)["error"].get<std::string>().rfind("no such path: /", 0) == 0);
}

TEST_CASE("case folding is ASCII only", "[text]") {
  CHECK(ascii_lower("Content-LENGTH") == "content-length");
  CHECK(equals_ignoring_case("dayOfWeek", "DAYOFWEEK"));
  CHECK_FALSE(equals_ignoring_case("day", "days"));
  CHECK_FALSE(equals_ignoring_case("\xc3\x89", "\xc3\xa9"));
}
