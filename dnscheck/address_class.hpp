// address_class.hpp - is an IP literal a public unicast destination?
//
// Used before connecting anywhere a tenant chose (MX hosts, webhook URLs) to
// refuse loopback, private, link-local, unique-local, CGNAT, documentation,
// benchmarking, multicast, reserved and unspecified addresses
// (protocols.md §5 lists, plus deprecated site-local fec0::/10). Addresses
// that wrap an IPv4 address (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4
// 2002::/16, deprecated IPv4-compatible ::/96) are judged by the IPv4
// address inside. Pure: parses text, never resolves or connects.
#pragma once

#include <string_view>

namespace tern::dns {

// is_public_address - true only for a parseable IPv4 (dotted quad) or IPv6
// literal outside every blocked range. Anything unparseable (names, zone
// ids, brackets, "127.1") is false.
bool is_public_address(std::string_view ip);

}  // namespace tern::dns
