// ssrf_guard.hpp - where a webhook request may go, decided before any
// connection is made.
//
// The endpoint's host is resolved once per attempt (A and AAAA); if ANY
// address is not public (loopback, private, link-local, unique-local,
// mapped or embedded IPv4 of those, ...: dns::is_public_address) the target
// is refused, unless allow_private (TERN_WEBHOOK_ALLOW_PRIVATE, dev and
// tests). The caller connects to the returned address and nothing else, so
// a second DNS answer (rebinding) cannot change the target.
//
// Errors: Errc::invalid_argument - refused (non-public address, nothing
// resolvable); Errc::unavailable - DNS trouble, worth retrying.
#pragma once

#include <string>

#include "dnscheck/resolver.hpp"
#include "store/redis/webhook_url.hpp"
#include "store/util/result.hpp"

namespace tern::worker {

// pin_address - the IP literal to connect to for this URL.
Result<std::string> pin_address(dns::Resolver& resolver, const store::WebhookUrl& url, bool allow_private);

}  // namespace tern::worker
