// encoding.hpp - byte encodings and digests shared by every layer:
// base64 (RFC 4648, with padding), hex, SHA-256 and HMAC-SHA-256 (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern {

std::string base64_encode(std::string_view bytes);
// base64_decode - strict: only the standard alphabet, padding optional,
// whitespace rejected. nullopt on any bad character.
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

std::string sha256(std::string_view bytes);                        // 32 raw bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes

// constant_time_equal - compares without leaking where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

// random_bytes - n bytes from OpenSSL's CSPRNG.
std::string random_bytes(std::size_t n);

}  // namespace tern
