#include "server/request_framing.hpp"

#include <algorithm>
#include <optional>

#include "core/text.hpp"

namespace {

// RFC 9110 §5.6.2 token characters (method and field names).
bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return is_tchar(static_cast<unsigned char>(c));
  });
}

// Field values: visible characters, space, tab and obs-text; no other control.
bool is_field_value(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c == '\t' || (c >= 0x20 && c != 0x7F);
  });
}

// The request target: visible ASCII only (anything else is percent-encoded).
bool is_target(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c > 0x20 && c < 0x7F;
  });
}

Framing reject(int status, std::string reason) {
  Framing framing;
  framing.state = FramingState::rejected;
  framing.status = status;
  framing.reason = std::move(reason);
  return framing;
}

// Content-Length: one number, or a list of the same number ("5, 5", which
// RFC 9110 §8.6 lets a recipient take as 5). Sets `value`; false if malformed.
bool parse_content_length(std::string_view text, unsigned long long& value, bool& too_large) {
  bool first = true;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = trim_blanks(text.substr(start, comma - start));
    if (item.empty() ||
        !std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    unsigned long long number = 0;
    for (char c : item) {
      if (number > (~0ULL - 9) / 10) {
        too_large = true;
        return true;
      }
      number = number * 10 + static_cast<unsigned>(c - '0');
    }
    if (!first && number != value) return false;
    value = number;
    first = false;
    start = comma + 1;
  }
  return true;
}

}  // namespace

std::string RequestHead::field(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (equals_ignoring_case(key, name)) return value;
  }
  return {};
}

std::string RequestHead::rewrite(std::size_t body_length, bool with_length) const {
  // Framing fields are ours now: the body is exactly `body_length` bytes.
  static const char* const framing[] = {"content-length", "transfer-encoding", "expect",
                                        "content-encoding"};
  std::string text = method + " " + target + " " + version + "\r\n";
  for (const auto& [name, value] : fields) {
    const auto matches = [&name = name](std::string_view other) {
      return equals_ignoring_case(name, other);
    };
    if (std::any_of(std::begin(framing), std::end(framing), matches)) continue;
    text += name + ": " + value + "\r\n";
  }
  if (with_length) text += "Content-Length: " + std::to_string(body_length) + "\r\n";
  return text + "\r\n";
}

std::size_t leading_blank_lines(std::string_view bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (bytes[at] == '\n') {
      ++at;
    } else if (bytes[at] == '\r' && at + 1 < bytes.size() && bytes[at + 1] == '\n') {
      at += 2;
    } else {
      break;
    }
  }
  return at;
}

namespace {

// The lines of the head up to the blank one that ends it, CR stripped, or a
// verdict: incomplete (more bytes needed) or rejected (over a limit).
struct HeadLines {
  std::vector<std::string_view> lines;
  std::size_t head_bytes = 0;
  std::optional<Framing> verdict;  // set unless the head is complete
};

Framing line_too_long(bool request_line, const FramingLimits& limits) {
  return request_line
             ? reject(414, "request line longer than " + std::to_string(limits.max_line) + " bytes")
             : reject(431, "header line longer than " + std::to_string(limits.max_line) + " bytes");
}

HeadLines split_head(std::string_view bytes, const FramingLimits& limits) {
  HeadLines head;
  std::size_t at = leading_blank_lines(bytes);
  if (at > limits.max_line) {
    head.verdict = reject(400, "too many empty lines before the request");
    return head;
  }
  for (;;) {
    const std::size_t newline = bytes.find('\n', at);
    if (newline == std::string_view::npos) {
      if (bytes.size() - at > limits.max_line) {
        head.verdict = line_too_long(head.lines.empty(), limits);
      } else if (bytes.size() > limits.max_head) {
        head.verdict =
            reject(431, "request head longer than " + std::to_string(limits.max_head) + " bytes");
      } else {
        head.verdict = Framing{};  // incomplete
      }
      return head;
    }
    std::string_view line = bytes.substr(at, newline - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = newline + 1;
    if (line.size() > limits.max_line) {
      head.verdict = line_too_long(head.lines.empty(), limits);
    } else if (at > limits.max_head) {
      head.verdict =
          reject(431, "request head longer than " + std::to_string(limits.max_head) + " bytes");
    } else if (line.empty()) {
      if (head.lines.empty()) head.verdict = reject(400, "no request line");
      head.head_bytes = at;
      return head;
    } else if (line.find('\r') != std::string_view::npos) {
      head.verdict = reject(400, "a bare CR in the head");
    } else if (head.lines.size() == limits.max_headers + 1) {
      head.verdict =
          reject(431, "more than " + std::to_string(limits.max_headers) + " header fields");
    }
    if (head.verdict) return head;
    head.lines.push_back(line);
  }
}

// "METHOD SP target SP version", single spaces; an empty result when valid.
std::optional<Framing> read_request_line(std::string_view line, RequestHead& head) {
  const std::size_t first_space = line.find(' ');
  const std::size_t last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || first_space == last_space) {
    return reject(400, "malformed request line");
  }
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, last_space - first_space - 1);
  const std::string_view version = line.substr(last_space + 1);
  if (!is_token(method) || method.size() > 32) return reject(400, "malformed request method");
  static const std::string_view kMethods[] = {"GET",   "HEAD",    "POST",  "PUT",    "DELETE",
                                              "PATCH", "OPTIONS", "TRACE", "CONNECT"};
  if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
    return reject(501, "unknown method '" + std::string(method) + "'");
  }
  if (!is_target(target)) return reject(400, "malformed request target");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
      return reject(505, "only HTTP/1.0 and HTTP/1.1 are served");
    }
    return reject(400, "malformed request line");
  }
  head.method = std::string(method);
  head.target = std::string(target);
  head.version = std::string(version);
  return std::nullopt;
}

// The header fields, and what they say about the body and the connection;
// an empty result when valid.
std::optional<Framing> read_fields(const std::vector<std::string_view>& lines, std::size_t max_body,
                                   RequestHead& head) {
  bool has_length = false;
  unsigned long long length = 0;
  std::string connection_options;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      return reject(400, "folded header lines are not accepted");
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return reject(400, "a header line without ':'");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim_blanks(line.substr(colon + 1));
    if (!is_token(name)) return reject(400, "malformed header name");
    if (!is_field_value(value)) return reject(400, "a control character in a header value");

    if (equals_ignoring_case(name, "content-length")) {
      unsigned long long this_length = 0;
      bool too_large = false;
      if (!parse_content_length(value, this_length, too_large)) {
        return reject(400, "Content-Length is not one whole number");
      }
      if (too_large) return reject(413, "request body too large");
      if (has_length && this_length != length) {
        return reject(400, "two different Content-Length values");
      }
      has_length = true;
      length = this_length;
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      return reject(411, "send the body with Content-Length, not chunked");
    } else if (equals_ignoring_case(name, "content-encoding")) {
      if (!equals_ignoring_case(value, "identity")) {
        return reject(415, "Content-Encoding '" + std::string(value) +
                               "' is not accepted: send the body uncompressed");
      }
    } else if (equals_ignoring_case(name, "expect")) {
      head.expects_continue = equals_ignoring_case(value, "100-continue");
    } else if (equals_ignoring_case(name, "connection")) {
      connection_options += ascii_lower(value) + ",";
    }
    head.fields.emplace_back(std::string(name), std::string(value));
  }
  if (length > max_body) return reject(413, "request body too large");
  head.content_length = static_cast<std::size_t>(length);
  const bool keep_alive = connection_options.find("keep-alive") != std::string::npos;
  head.wants_close = connection_options.find("close") != std::string::npos ||
                     (head.version == "HTTP/1.0" && !keep_alive);
  return std::nullopt;
}

}  // namespace

Framing frame_request(std::string_view bytes, const FramingLimits& limits, std::size_t max_body) {
  const HeadLines lines = split_head(bytes, limits);
  if (lines.verdict) return *lines.verdict;
  Framing framing;
  framing.head.head_bytes = lines.head_bytes;
  if (auto refused = read_request_line(lines.lines[0], framing.head)) return *refused;
  if (auto refused = read_fields(lines.lines, max_body, framing.head)) return *refused;
  framing.state = FramingState::complete;
  return framing;
}

std::string target_path(const std::string& target) {
  const std::string raw = target.substr(0, target.find('?'));
  std::string path;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() &&
        std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
      path += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      path += raw[i];
    }
  }
  return path;
}
