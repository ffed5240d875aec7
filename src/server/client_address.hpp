// Who a request comes from. Without a reverse proxy that is the peer of the
// connection. Behind one, every request arrives from the proxy's address, so
// each failed authentication, each byte of body held and each log line would
// count against one address shared by every client: the proxies named with
// --trusted-proxy are believed about the client they forward for
// (X-Forwarded-For), and only they.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// An IPv4 or IPv6 range such as 10.0.0.0/8, 192.168.1.7 (one address) or
// fd00::/8. IPv4 addresses are compared as IPv4-mapped IPv6 (::ffff:a.b.c.d),
// so 10.0.0.0/8 also covers ::ffff:10.1.2.3.
struct AddressRange {
  std::array<unsigned char, 16> network{};
  unsigned prefix_bits = 128;  // of the 16 bytes
};

// nullopt for anything that is not an address, optionally with /BITS.
std::optional<AddressRange> parse_address_range(std::string_view text);

// The 16 bytes of an IPv4 or IPv6 address as text (IPv4 mapped); nullopt if
// it is not one.
std::optional<std::array<unsigned char, 16>> parse_ip_address(std::string_view text);

bool in_range(const AddressRange& range, const std::array<unsigned char, 16>& address);
bool in_any_range(const std::vector<AddressRange>& ranges, std::string_view address);

// The client of a request that came from `peer`: `peer` itself unless it is
// in `trusted`; then the rightmost address of `forwarded_for` (the values of
// every X-Forwarded-For field, in order, joined by commas) that is not in
// `trusted`, each proxy having appended the address it was reached from. A
// malformed entry ends the walk: the address to its right (a trusted proxy)
// is the client, since nothing further left can be believed.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<AddressRange>& trusted);
