// mx_policy.hpp - which hosts to try for a recipient domain (RFC 5321 §5.1,
// RFC 7505). Pure ordering is separate from lookup so it can be tested with
// tables of records.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "dnscheck/address_class.hpp"
#include "dnscheck/resolver.hpp"

namespace tern::dns {

enum class RouteStatus {
  ok,                 // hosts holds at least one host with at least one address
  null_mx,            // "0 ." : the domain accepts no mail -> bounce at once (556 5.1.10)
  no_such_domain,     // NXDOMAIN for the domain -> bounce
  no_addresses,       // MX hosts exist but none resolves to an address -> defer
  temporary_failure,  // SERVFAIL / timeout on the way -> defer
};
const char* to_string(RouteStatus status);

struct RouteHost {
  std::string name;
  uint16_t preference = 0;
  std::vector<std::string> addresses;
};

struct Route {
  RouteStatus status = RouteStatus::temporary_failure;
  std::vector<RouteHost> hosts;  // in the order to try
  std::string detail;
};

// order_mx - lowest preference first, equal preferences shuffled with rng.
std::vector<MxRecord> order_mx(std::vector<MxRecord> records, std::mt19937_64& rng);

// resolve_route - MX lookup, implicit MX (A/AAAA of the domain itself) on
// NODATA, null MX detection, then addresses of each host, capped at
// max_hosts hosts.
Route resolve_route(Resolver& resolver, std::string_view domain, std::mt19937_64& rng, std::size_t max_hosts = 5);

// is_public_address (declared in address_class.hpp, included above) - false
// for loopback, private, link-local, unique-local, CGNAT, documentation,
// multicast, unspecified and IPv4-mapped forms of those.

}  // namespace tern::dns
