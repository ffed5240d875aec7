// libFuzzer target: framing a request from a client's bytes. Checks that a
// framed head is within the limits, that its rewrite frames again to the same
// request, and that nothing is accepted past the body limit.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "server/request_framing.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const FramingLimits limits{4096, 1024, 20};
  constexpr std::size_t kMaxBody = 1 << 16;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const Framing framing = frame_request(bytes, limits, kMaxBody);
  if (framing.state == FramingState::rejected) {
    check(framing.status >= 400 && framing.status <= 505 && !framing.reason.empty());
    return 0;
  }
  if (framing.state == FramingState::incomplete) {
    check(bytes.size() <= limits.max_head);
    return 0;
  }
  const RequestHead& head = framing.head;
  check(head.head_bytes <= bytes.size() && head.head_bytes <= limits.max_head);
  check(head.content_length <= kMaxBody);
  check(head.fields.size() <= limits.max_headers);
  const std::string rewritten = head.rewrite(head.content_length, true);
  const Framing again = frame_request(rewritten, limits, kMaxBody);
  if (again.state == FramingState::complete) {
    check(again.head.method == head.method && again.head.target == head.target);
    check(again.head.content_length == head.content_length);
    check(again.head.head_bytes == rewritten.size());
  } else {
    // Only the extra Content-Length line can push a head just under the
    // limit over it.
    check(again.state == FramingState::rejected && again.status == 431);
  }
  return 0;
}
