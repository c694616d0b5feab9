// webhook_sender.hpp - one webhook HTTP request: POST the body to the
// endpoint, connecting only to the address the SSRF guard pinned.
//
// Promises: the Host header (and, for https, SNI and certificate host-name
// verification against the system trust store plus options.ca_file) use the
// URL's host while the TCP connection goes to `address`; one deadline
// (options.timeout) covers connect, TLS, write and read; redirects are never
// followed (3xx is just a status, and not a success); at most
// kMaxResponseRead bytes of the response body are read and
// options.max_response_bytes of them kept. Blocking (its own io_context on
// the calling thread); never throws. No HTTP library type leaks out.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/redis/webhook_url.hpp"
#include "worker/webhook_signature.hpp"

namespace tern::worker {

struct SenderOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};  // the whole request
  std::string ca_file;                                          // extra trust anchors (tests)
  std::size_t max_response_bytes = 2048;                        // response text kept for the attempt record
};

inline constexpr std::size_t kMaxResponseRead = 64 * 1024;

struct SendResult {
  std::optional<int> http_status;  // nullopt: no HTTP answer
  std::string response;            // the (truncated) body, or the network error
  bool success() const { return http_status && *http_status >= 200 && *http_status < 300; }
};

// post_webhook - one attempt. `address` is an IP literal.
SendResult post_webhook(const store::WebhookUrl& url, const std::string& address, const std::vector<Header>& headers,
                        std::string_view body, const SenderOptions& options);

}  // namespace tern::worker
