// Framing an HTTP/1.1 request from the bytes a client sent, before anything
// else looks at them (RFC 9112): where the head ends, what it says, and how
// long the body is. Pure: bytes in, a verdict out, so every rule is unit- and
// fuzz-tested without a socket. The connection layer (http_connections.hpp)
// feeds it and acts on the verdict; httplib only ever parses a request this
// accepted, rewritten in a clean form.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The largest request body accepted unless --max-body says otherwise (bytes).
constexpr std::size_t kDefaultMaxBody = std::size_t{64} << 20;

struct FramingLimits {
  std::size_t max_head = 64 << 10;  // request line and headers together, bytes
  std::size_t max_line = 8 << 10;   // one request line or header line, bytes
  std::size_t max_headers = 100;    // header fields
};

struct RequestHead {
  std::string method;   // as sent: "GET"
  std::string target;   // as sent: "/get_report/abc?format=json"
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  std::vector<std::pair<std::string, std::string>> fields;  // names as sent, values trimmed
  std::size_t head_bytes = 0;      // bytes of the head, blank line included
  std::size_t content_length = 0;  // 0 when the request has no body
  bool expects_continue = false;   // "Expect: 100-continue"
  bool wants_close = false;        // the client asked to close after the answer

  // The value of the first field named `name` (case-insensitive), or "".
  std::string field(std::string_view name) const;
  // The head as httplib reads it: request line and headers with CRLF, the
  // framing fields (Content-Length, Transfer-Encoding, Expect,
  // Content-Encoding) replaced by "Content-Length: body_length" when
  // `with_length` (a request without it has no body: there is nothing to
  // read "to the end" in the stream httplib is given).
  std::string rewrite(std::size_t body_length, bool with_length) const;
};

enum class FramingState {
  incomplete,  // more bytes are needed
  complete,    // `head` is the request's head
  rejected,    // `status` and `reason` say why; answer them and close
};

struct Framing {
  FramingState state = FramingState::incomplete;
  RequestHead head;
  int status = 0;      // when rejected: 400, 411, 413, 414, 415, 431, 501, 505
  std::string reason;  // when rejected: a sentence for the error body
};

// Reads the head at the start of `bytes` (empty lines before a request line
// are skipped, as RFC 9112 §2.2 allows). Bare LF line ends are accepted.
// Rejects: a malformed request line or header, a method that is not one of
// HTTP's own (501), a line or head over the
// limits, Transfer-Encoding (a body must come with Content-Length), two
// different Content-Length values or one that is not a number, a body over
// `max_body`, and any Content-Encoding but identity (bodies are never
// inflated, so a small body cannot become a large one).
Framing frame_request(std::string_view bytes, const FramingLimits& limits, std::size_t max_body);

// Leading empty lines a client may send between requests (see frame_request).
std::size_t leading_blank_lines(std::string_view bytes);

// The path of a request target ("/get_report/a%2Fb?format=json"),
// percent-decoded, without the query: "/get_report/a/b".
std::string target_path(const std::string& target);
