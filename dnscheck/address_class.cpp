// address_class.cpp - is_public_address: a parsed address against the
// blocked-range tables of protocols.md §5 (IANA special-purpose registries).
//
// inet_pton does the parsing, so only canonical forms pass: IPv4 must be a
// dotted quad without leading zeros ("127.1", "0x7f.0.0.1" and "0177.0.0.1"
// are refused as unparseable), IPv6 must carry no zone id or brackets.
#include "dnscheck/address_class.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace tern::dns {
namespace {

struct Ipv4Range {
  uint32_t base;
  int prefix;
};

constexpr uint32_t ipv4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return a << 24 | b << 16 | c << 8 | d; }

constexpr std::array kBlockedIpv4{
    Ipv4Range{ipv4(0, 0, 0, 0), 8},       // "this network" (RFC 791)
    Ipv4Range{ipv4(10, 0, 0, 0), 8},      // private (RFC 1918)
    Ipv4Range{ipv4(100, 64, 0, 0), 10},   // CGNAT shared space (RFC 6598)
    Ipv4Range{ipv4(127, 0, 0, 0), 8},     // loopback
    Ipv4Range{ipv4(169, 254, 0, 0), 16},  // link-local, cloud metadata
    Ipv4Range{ipv4(172, 16, 0, 0), 12},   // private
    Ipv4Range{ipv4(192, 0, 0, 0), 24},    // IETF protocol assignments
    Ipv4Range{ipv4(192, 0, 2, 0), 24},    // TEST-NET-1
    Ipv4Range{ipv4(192, 168, 0, 0), 16},  // private
    Ipv4Range{ipv4(198, 18, 0, 0), 15},   // benchmarking (RFC 2544)
    Ipv4Range{ipv4(198, 51, 100, 0), 24}, // TEST-NET-2
    Ipv4Range{ipv4(203, 0, 113, 0), 24},  // TEST-NET-3
    Ipv4Range{ipv4(224, 0, 0, 0), 4},     // multicast
    Ipv4Range{ipv4(240, 0, 0, 0), 4},     // reserved, and 255.255.255.255
};

using Ipv6Bytes = std::array<uint8_t, 16>;

struct Ipv6Range {
  Ipv6Bytes base;
  int prefix;
};

const std::array kBlockedIpv6{
    Ipv6Range{{}, 128},                                                // :: unspecified
    Ipv6Range{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},  // ::1 loopback
    Ipv6Range{{0xfc}, 7},                                              // unique local (RFC 4193)
    Ipv6Range{{0xfe, 0x80}, 10},                                       // link-local
    Ipv6Range{{0xfe, 0xc0}, 10},                                       // site-local (deprecated, RFC 3879)
    Ipv6Range{{0xff}, 8},                                              // multicast
    Ipv6Range{{0x20, 0x01, 0x0d, 0xb8}, 32},                           // documentation (RFC 3849)
    Ipv6Range{{0x01, 0x00}, 64},                                       // discard-only (RFC 6666)
};

// Prefixes whose addresses carry an IPv4 address: offset of its 4 bytes.
struct Ipv6Wrapper {
  Ipv6Range range;
  int ipv4_offset;
};

const std::array kIpv4Wrappers{
    Ipv6Wrapper{{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96}, 12},  // IPv4-mapped
    Ipv6Wrapper{{{0x00, 0x64, 0xff, 0x9b}, 96}, 12},                    // NAT64 (RFC 6052)
    Ipv6Wrapper{{{0x20, 0x02}, 16}, 2},                                 // 6to4 (RFC 3056)
    Ipv6Wrapper{{{}, 96}, 12},  // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1); covers :: and ::1
};

bool in_range(uint32_t address, const Ipv4Range& range) {
  const uint32_t mask = range.prefix == 0 ? 0 : ~uint32_t{0} << (32 - range.prefix);
  return (address & mask) == (range.base & mask);
}

bool in_range(const Ipv6Bytes& address, const Ipv6Range& range) {
  for (int bit = 0; bit < range.prefix; bit += 8) {
    const int bits = range.prefix - bit < 8 ? range.prefix - bit : 8;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
    if ((address[bit / 8] & mask) != (range.base[bit / 8] & mask)) return false;
  }
  return true;
}

bool is_public_ipv4(uint32_t address) {
  for (const Ipv4Range& range : kBlockedIpv4) {
    if (in_range(address, range)) return false;
  }
  return true;
}

bool is_public_ipv6(const Ipv6Bytes& address) {
  for (const Ipv6Wrapper& wrapper : kIpv4Wrappers) {
    if (!in_range(address, wrapper.range)) continue;
    const uint8_t* v4 = address.data() + wrapper.ipv4_offset;
    return is_public_ipv4(ipv4(v4[0], v4[1], v4[2], v4[3]));
  }
  for (const Ipv6Range& range : kBlockedIpv6) {
    if (in_range(address, range)) return false;
  }
  return true;
}

}  // namespace

bool is_public_address(std::string_view ip) {
  if (ip.empty() || ip.size() > INET6_ADDRSTRLEN) return false;
  const std::string text(ip);
  if (text.find('\0') != std::string::npos) return false;
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return is_public_ipv4(ntohl(v4.s_addr));
  Ipv6Bytes v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return is_public_ipv6(v6);
  return false;
}

}  // namespace tern::dns
