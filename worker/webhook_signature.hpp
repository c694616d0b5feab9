// webhook_signature.hpp - Standard Webhooks 1.0.0 signatures (what Svix and
// Resend send), pure: no clock, no I/O.
//
// signature = "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
// where key is the base64-decoded part of the secret after "whsec_"
// (protocols.md §5; the vector there is this module's test).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/util/result.hpp"

namespace tern::worker {

// signing_key - the HMAC key bytes of "whsec_<base64>" (the prefix is
// optional); Errc::invalid_argument when the rest is not base64.
Result<std::string> signing_key(std::string_view secret);

// sign - "v1,<base64>" over id, timestamp (Unix seconds) and the exact body.
Result<std::string> sign(std::string_view secret, std::string_view msg_id, int64_t timestamp, std::string_view body);

// verify - true when any space-separated "v1,..." entry of signature_header
// matches (constant-time compare). No timestamp tolerance check: the caller
// owns the clock.
bool verify(std::string_view secret, std::string_view msg_id, int64_t timestamp, std::string_view body,
            std::string_view signature_header);

// Header - one name/value pair of a webhook request.
struct Header {
  std::string name;
  std::string value;
};

// signed_headers - webhook-id/-timestamp/-signature and the same three as
// svix-*, plus Content-Type application/json.
Result<std::vector<Header>> signed_headers(std::string_view secret, std::string_view msg_id, int64_t timestamp,
                                           std::string_view body);

}  // namespace tern::worker
