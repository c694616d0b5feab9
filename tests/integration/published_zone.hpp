// published_zone.hpp - a domain's records as its owner would publish them,
// for scenarios that verify a domain against the test DNS server.
#pragma once

#include <string>
#include <vector>

#include "store/redis/domain_store.hpp"
#include "tests/peers/dns_server.hpp"

namespace tern::testing {

// split255 - a TXT value as <=255-byte character-strings (RFC 1035 §3.3).
inline std::vector<std::string> split255(const std::string& value) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); i += 255) out.push_back(value.substr(i, 255));
  return out;
}

// zone_for - the domain's records (and DMARC advice), skipping record kinds
// in `skip`; plus the A record `spf_host` -> 127.0.0.1 of the host the SPF
// mechanism names (a:<TERN_HOSTNAME>).
inline DnsZone zone_for(const store::Domain& d, const std::string& spf_host, const std::string& skip = "") {
  DnsZone zone;
  std::vector<store::StoredDnsRecord> records = d.records;
  records.push_back(d.dmarc);
  for (const auto& r : records) {
    if (r.record == skip) continue;
    const std::string fqdn = r.name + "." + d.name;
    if (r.type == "MX") zone.add_mx(fqdn, static_cast<uint16_t>(r.priority.value_or(10)), r.value);
    else zone.add_txt(fqdn, split255(r.value));
  }
  zone.add_a(spf_host, "127.0.0.1");
  return zone;
}

}  // namespace tern::testing
