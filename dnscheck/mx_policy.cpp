// mx_policy.cpp - from a recipient domain to the ordered hosts to try.
//
// Policy (RFC 5321 §5.1, RFC 7505, Postfix smtp_addr.c):
//   MX NXDOMAIN              -> no_such_domain (bounce)
//   MX SERVFAIL/timeout/junk -> temporary_failure (defer)
//   MX NODATA                -> implicit MX: the domain itself, preference 0
//   only null MX "0 ."       -> null_mx (bounce, no connection); a "." among
//                               real hosts is skipped
//   otherwise hosts by preference, ties shuffled, each resolved (A, AAAA),
//   hosts without addresses dropped, at most max_hosts kept. If none is
//   left: temporary_failure when any host lookup failed temporarily, else
//   no_addresses.
// Addresses are not filtered here (tests route to loopback); callers that
// must refuse internal destinations apply is_public_address.
#include "dnscheck/mx_policy.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace tern::dns {
namespace {

bool is_null_exchange(const std::string& exchange) { return exchange == "." || exchange.empty(); }

std::string without_root_dot(std::string_view name) {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return std::string(name);
}

std::string lowercase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// HostScan - what resolving the candidate hosts found.
struct HostScan {
  std::vector<RouteHost> hosts;
  std::size_t temporary = 0;  // hosts whose lookup should be retried
  std::string detail;
};

void note(std::string& detail, const std::string& text) {
  if (!detail.empty()) detail += "; ";
  detail += text;
}

// scan_hosts - resolve candidates in order until max_hosts have addresses.
HostScan scan_hosts(Resolver& resolver, const std::vector<MxRecord>& candidates, std::size_t max_hosts) {
  HostScan scan;
  std::set<std::string> seen;
  for (const MxRecord& record : candidates) {
    if (scan.hosts.size() >= max_hosts) break;
    if (is_null_exchange(record.exchange)) continue;  // "." next to real hosts: nothing to dial
    if (!seen.insert(lowercase(record.exchange)).second) continue;
    AddressLookup lookup = resolver.addresses(record.exchange);
    if (lookup.status == LookupStatus::ok && !lookup.addresses.empty()) {
      scan.hosts.push_back(RouteHost{record.exchange, record.preference, std::move(lookup.addresses)});
      continue;
    }
    if (lookup.status == LookupStatus::temporary || lookup.status == LookupStatus::error) ++scan.temporary;
    note(scan.detail, lookup.detail.empty() ? record.exchange + ": " + to_string(lookup.status) : lookup.detail);
  }
  return scan;
}

Route finish(HostScan scan, bool implicit) {
  Route route;
  route.hosts = std::move(scan.hosts);
  route.detail = std::move(scan.detail);
  if (!route.hosts.empty()) {
    route.status = RouteStatus::ok;
  } else if (scan.temporary > 0) {
    route.status = RouteStatus::temporary_failure;
  } else {
    route.status = RouteStatus::no_addresses;
    note(route.detail, implicit ? "no MX and the domain has no address" : "no MX host has an address");
  }
  return route;
}

Route failed(RouteStatus status, std::string detail) {
  Route route;
  route.status = status;
  route.detail = std::move(detail);
  return route;
}

}  // namespace

const char* to_string(RouteStatus status) {
  switch (status) {
    case RouteStatus::ok: return "ok";
    case RouteStatus::null_mx: return "null_mx";
    case RouteStatus::no_such_domain: return "no_such_domain";
    case RouteStatus::no_addresses: return "no_addresses";
    case RouteStatus::temporary_failure: return "temporary_failure";
  }
  return "unknown";
}

std::vector<MxRecord> order_mx(std::vector<MxRecord> records, std::mt19937_64& rng) {
  // Shuffle everything, then a stable sort by preference keeps the shuffled
  // order within each preference: equal preferences share the load (§5.1).
  std::shuffle(records.begin(), records.end(), rng);
  std::stable_sort(records.begin(), records.end(),
                   [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
  return records;
}

Route resolve_route(Resolver& resolver, std::string_view domain, std::mt19937_64& rng, std::size_t max_hosts) {
  const std::string name = without_root_dot(domain);
  MxLookup mx = resolver.mx(name);
  switch (mx.status) {
    case LookupStatus::nxdomain:
      return failed(RouteStatus::no_such_domain, mx.detail.empty() ? name + ": no such domain" : mx.detail);
    case LookupStatus::temporary:
    case LookupStatus::error:
      return failed(RouteStatus::temporary_failure, mx.detail.empty() ? name + ": MX lookup failed" : mx.detail);
    case LookupStatus::nodata:
      return finish(scan_hosts(resolver, {MxRecord{0, name}}, max_hosts), true);
    case LookupStatus::ok:
      break;
  }
  if (mx.records.empty()) {  // a Resolver that says ok without records: treat as NODATA
    return finish(scan_hosts(resolver, {MxRecord{0, name}}, max_hosts), true);
  }
  const bool all_null = std::all_of(mx.records.begin(), mx.records.end(),
                                    [](const MxRecord& r) { return is_null_exchange(r.exchange); });
  if (all_null) {
    return failed(RouteStatus::null_mx, name + " publishes a null MX (RFC 7505): it accepts no mail");
  }
  return finish(scan_hosts(resolver, order_mx(std::move(mx.records), rng), max_hosts), false);
}

}  // namespace tern::dns
