// ssrf_guard.cpp - see ssrf_guard.hpp.
#include "worker/ssrf_guard.hpp"

#include "dnscheck/address_class.hpp"

namespace tern::worker {

Result<std::string> pin_address(dns::Resolver& resolver, const store::WebhookUrl& url, bool allow_private) {
  if (url.host_is_ip) {
    if (!allow_private && !dns::is_public_address(url.host))
      return fail(Errc::invalid_argument, "refused: " + url.host + " is not a public address");
    return url.host;
  }
  dns::AddressLookup found = resolver.addresses(url.host);
  switch (found.status) {
    case dns::LookupStatus::ok: break;
    case dns::LookupStatus::temporary:
      return fail(Errc::unavailable, "DNS lookup of " + url.host + " failed: " + found.detail);
    default:
      return fail(Errc::invalid_argument, "refused: " + url.host + " has no address (" +
                                              std::string(dns::to_string(found.status)) + ")");
  }
  if (found.addresses.empty()) return fail(Errc::invalid_argument, "refused: " + url.host + " has no address");
  if (!allow_private)
    for (const auto& address : found.addresses)
      if (!dns::is_public_address(address))
        return fail(Errc::invalid_argument, "refused: " + url.host + " resolves to the non-public address " + address);
  return found.addresses.front();
}

}  // namespace tern::worker
