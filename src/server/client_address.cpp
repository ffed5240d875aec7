#include "server/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "core/text.hpp"

std::optional<std::array<unsigned char, 16>> parse_ip_address(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string terminated(text);
  std::array<unsigned char, 16> bytes{};
  in_addr v4{};
  if (inet_pton(AF_INET, terminated.c_str(), &v4) == 1) {
    bytes[10] = bytes[11] = 0xFF;
    std::memcpy(bytes.data() + 12, &v4, 4);
    return bytes;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, terminated.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return bytes;
  }
  return std::nullopt;
}

std::optional<AddressRange> parse_address_range(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  AddressRange range;
  range.network = *address;
  range.prefix_bits = 128;
  if (slash != std::string_view::npos) {
    const std::string_view bits_text = text.substr(slash + 1);
    unsigned bits = 0;
    const auto [end, error] =
        std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (bits_text.empty() || error != std::errc() || end != bits_text.data() + bits_text.size() ||
        bits > (v4 ? 32u : 128u)) {
      return std::nullopt;
    }
    range.prefix_bits = v4 ? 96 + bits : bits;
  }
  // The host bits are cleared, so 10.1.2.3/8 is 10.0.0.0/8.
  for (unsigned bit = range.prefix_bits; bit < 128; ++bit) {
    range.network[bit / 8] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  }
  return range;
}

bool in_range(const AddressRange& range, const std::array<unsigned char, 16>& address) {
  for (unsigned bit = 0; bit < range.prefix_bits; ++bit) {
    const unsigned mask = 0x80u >> (bit % 8);
    if ((address[bit / 8] & mask) != (range.network[bit / 8] & mask)) return false;
  }
  return true;
}

bool in_any_range(const std::vector<AddressRange>& ranges, std::string_view address) {
  if (ranges.empty()) return false;
  const auto bytes = parse_ip_address(address);
  if (!bytes) return false;
  for (const AddressRange& range : ranges) {
    if (in_range(range, *bytes)) return true;
  }
  return false;
}

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<AddressRange>& trusted) {
  if (!in_any_range(trusted, peer)) return peer;
  std::string client = peer;
  // From the right: each entry is what the proxy to its right saw.
  std::size_t end = forwarded_for.size();
  while (end > 0) {
    const std::size_t comma = forwarded_for.rfind(',', end - 1);
    const std::size_t start = comma == std::string_view::npos ? 0 : comma + 1;
    const std::string_view entry = trim_blanks(forwarded_for.substr(start, end - start));
    if (!parse_ip_address(entry)) break;
    client = std::string(entry);
    if (!in_any_range(trusted, entry)) break;
    if (comma == std::string_view::npos) break;
    end = comma;
  }
  return client;
}
