// Framing a request from a client's bytes (request_framing.hpp): every rule
// that keeps a hostile client from taking memory, time or the process.
#include <catch2/catch.hpp>
#include <string>

#include "server/request_framing.hpp"

namespace {

const FramingLimits kLimits{};
constexpr std::size_t kMaxBody = 1 << 20;

Framing frame(const std::string& bytes) {
  return frame_request(bytes, kLimits, kMaxBody);
}

}  // namespace

TEST_CASE("a whole head is framed; a partial one asks for more", "[framing]") {
  const std::string request =
      "POST /ingest/status?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
  for (std::size_t cut = 0; cut < request.size() - 5; ++cut) {
    INFO(cut);
    CHECK(frame(request.substr(0, cut)).state == FramingState::incomplete);
  }
  const Framing framing = frame(request);
  REQUIRE(framing.state == FramingState::complete);
  CHECK(framing.head.method == "POST");
  CHECK(framing.head.target == "/ingest/status?x=1");
  CHECK(framing.head.version == "HTTP/1.1");
  CHECK(framing.head.content_length == 5);
  CHECK(framing.head.head_bytes == request.size() - 5);
  CHECK(framing.head.field("host") == "a");
  CHECK_FALSE(framing.head.wants_close);
}

TEST_CASE("bare LF line ends and empty lines before a request are accepted", "[framing]") {
  const Framing framing = frame("\r\n\nGET / HTTP/1.1\nHost: a\n\n");
  REQUIRE(framing.state == FramingState::complete);
  CHECK(framing.head.target == "/");
  CHECK(leading_blank_lines("\r\n\nGET") == 3);
}

TEST_CASE("Content-Length: one number, or equal copies of it", "[framing]") {
  CHECK(frame("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n")
            .head.content_length == 3);
  CHECK(frame("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n").head.content_length == 3);
  for (const char* bad : {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length:\r\n\r\n"}) {
    INFO(bad);
    const Framing framing = frame(bad);
    CHECK(framing.state == FramingState::rejected);
    CHECK(framing.status == 400);
  }
}

TEST_CASE("bodies past the limit, chunked or compressed are refused before reading", "[framing]") {
  const auto status = [](const std::string& bytes) {
    const Framing framing = frame(bytes);
    CHECK(framing.state == FramingState::rejected);
    return framing.status;
  };
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n") == 413);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 413);
  CHECK(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 411);
  CHECK(status("POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n") == 415);
  CHECK(status("POST / HTTP/1.1\r\nContent-Encoding: br\r\n\r\n") == 415);
  CHECK(frame("POST / HTTP/1.1\r\nContent-Encoding: identity\r\n\r\n").state ==
        FramingState::complete);
}

TEST_CASE("without Content-Length a request has no body, whatever its method", "[framing]") {
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    const Framing framing = frame(std::string(method) + " /x HTTP/1.1\r\nHost: a\r\n\r\n");
    REQUIRE(framing.state == FramingState::complete);
    CHECK(framing.head.content_length == 0);
  }
}

TEST_CASE("malformed heads are a 400, unknown methods 501, other versions 505", "[framing]") {
  const auto status = [](const std::string& bytes) { return frame(bytes).status; };
  CHECK(status("GET /\r\n\r\n") == 400);
  CHECK(status("GET  / HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1 \r\n\r\n") == 400);
  CHECK(status("GET /a b HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("GET /\xff HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("G(T / HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("BREW / HTTP/1.1\r\n\r\n") == 501);
  CHECK(status("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(status("GET / FOO\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nNo colon\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nA: x\r\n folded\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nA: x\ry\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nA: x\x01y\r\n\r\n") == 400);
}

TEST_CASE("lines and heads past their limits are refused, complete or not", "[framing]") {
  const std::string long_target(kLimits.max_line + 1, 'a');
  CHECK(frame("GET /" + long_target).status == 414);
  CHECK(frame("GET /" + long_target + " HTTP/1.1\r\n\r\n").status == 414);
  const std::string long_value(kLimits.max_line + 1, 'v');
  CHECK(frame("GET / HTTP/1.1\r\nA: " + long_value).status == 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (std::size_t i = 0; i <= kLimits.max_headers; ++i)
    many += "A" + std::to_string(i) + ": x\r\n";
  CHECK(frame(many + "\r\n").status == 431);
  std::string big = "GET / HTTP/1.1\r\n";
  while (big.size() <= kLimits.max_head) big += "X: " + std::string(1000, 'y') + "\r\n";
  CHECK(frame(big).status == 431);
}

TEST_CASE("Connection and Expect are read; HTTP/1.0 closes unless kept alive", "[framing]") {
  CHECK(frame("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").head.wants_close);
  CHECK(frame("GET / HTTP/1.0\r\n\r\n").head.wants_close);
  CHECK_FALSE(frame("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").head.wants_close);
  CHECK(frame("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n")
            .head.expects_continue);
}

TEST_CASE("the rewritten head carries our framing and nothing of the client's", "[framing]") {
  const Framing framing = frame(
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 4, 4\r\nExpect: 100-continue\r\n"
      "Content-Encoding: identity\r\nX-Other:  kept  \r\n\r\n");
  REQUIRE(framing.state == FramingState::complete);
  CHECK(framing.head.rewrite(4, true) ==
        "POST /a HTTP/1.1\r\nHost: h\r\nX-Other: kept\r\nContent-Length: 4\r\n\r\n");
  CHECK(framing.head.rewrite(0, false) == "POST /a HTTP/1.1\r\nHost: h\r\nX-Other: kept\r\n\r\n");
}
