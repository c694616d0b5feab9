// domain_name.hpp - the checks on what a customer asks for in POST /domains
// (pure, no I/O): the domain name, the return-path label, region and TLS
// mode. Each failure is Errc::invalid_argument with a message meant for the
// customer (the API answers it as 422 validation_error).
#pragma once

#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::domains {

inline constexpr std::size_t kMaxDomainLength = 253;  // RFC 1035 §2.3.4 (without the root dot)
inline constexpr std::size_t kMaxLabelLength = 63;

// normalize_domain_name - the name lower-cased and without a trailing dot:
// LDH labels (letters, digits, hyphens; no hyphen first or last), 1 to 63
// bytes each, at least two labels, at most 253 bytes, a last label that is
// not all digits (an IP address is not a domain).
Result<std::string> normalize_domain_name(std::string_view name);

// check_return_path - Resend's custom_return_path rule: 1 to 63 characters
// of [A-Za-z0-9-], starting with a letter and ending with a letter or digit.
Result<std::string> check_return_path(std::string_view label);

// is_region - one of Resend's regions (strict SDKs reject any other).
bool is_region(std::string_view region);

// is_tls_mode - "opportunistic" or "enforced".
bool is_tls_mode(std::string_view tls);

}  // namespace tern::domains
