// webhook_url.hpp - a webhook endpoint URL, parsed strictly (pure).
//
// Accepted: http:// or https:// (scheme case-insensitive), a host that is a
// DNS name, a dotted-quad IPv4 literal or a bracketed IPv6 literal, an
// optional port 1-65535, then path and query. Refused: userinfo ("user@"),
// whitespace or control characters, an empty host, names whose last label is
// numeric but not a dotted quad ("127.1", "0x7f.1": other parsers read those
// as IPv4), IPv6 zone ids. The fragment is dropped (never sent). Shared by
// the API (validation at create/update) and the worker (sending), so both
// agree on what an endpoint means.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::store {

struct WebhookUrl {
  bool https = true;
  std::string host;    // lower-case name, or an IP literal without brackets
  bool host_is_ip = false;
  uint16_t port = 443;
  std::string target;  // path and query, at least "/"

  // host_header - the Host header value: host, bracketed if IPv6, plus
  // ":port" when the port is not the scheme's default.
  std::string host_header() const;
};

inline constexpr std::size_t kMaxWebhookUrlLength = 2048;

// parse_webhook_url - Errc::invalid_argument with a message fit for an API
// error on any rule above.
Result<WebhookUrl> parse_webhook_url(std::string_view url);

}  // namespace tern::store
