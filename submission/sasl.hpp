// sasl.hpp - the SASL pieces of SMTP AUTH (RFC 4954) that Tern offers:
// PLAIN (RFC 4616) and LOGIN (draft-murchison-sasl-login).
//
// Pure: no I/O. parse_auth_argument splits "PLAIN dGVzdA==" into the
// upper-cased mechanism and the optional initial response ("=" stands for an
// empty one, RFC 4954 §4). decode_response reads one client response: "*"
// is a cancel, anything else must be base64. decode_plain splits the PLAIN
// message "authzid NUL authcid NUL passwd"; an authzid other than empty or
// the authcid itself is refused (no proxy authorisation). Every decoded
// value is bounded (kMaxSaslValue) and may not hold NUL, CR or LF.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::submission {

inline constexpr std::size_t kMaxSaslValue = 512;

struct AuthArgument {
  std::string mechanism;               // "PLAIN", "LOGIN", ...
  std::optional<std::string> initial;  // base64 as sent, or "=" for empty
};

struct Credentials {
  std::string user;
  std::string password;
};

AuthArgument parse_auth_argument(std::string_view argument);

// SaslResponse - one decoded client line; cancelled for "*".
struct SaslResponse {
  bool cancelled = false;
  std::string value;
};

// decode_response - Errc::invalid_argument when not base64 or not a plain value.
Result<SaslResponse> decode_response(std::string_view line);

// is_plain_value - at most kMaxSaslValue octets, no NUL, CR or LF (a LOGIN
// user name or password).
bool is_plain_value(std::string_view value);

// decode_plain - the decoded PLAIN message to credentials.
Result<Credentials> decode_plain(std::string_view message);

}  // namespace tern::submission
