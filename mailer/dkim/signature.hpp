// signature.hpp - the DKIM-Signature header field (RFC 6376 §3.5) as a
// value with the RFC's tag names, and its text form.
//
// to_header() promises: "DKIM-Signature: " + tags in the order v a c d s t
// x h bh b, each after "; " or a fold, lines kept near 78 columns, ending in
// CRLF. The text before "b=" never depends on b, and b= always starts a new
// line, so the field with b empty (what is hashed, §3.7) and the final field
// differ only after "b=". Values must be valid tag values already (no ';').
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailer/dkim/canonicalize.hpp"

namespace tern::dkim {

inline constexpr std::string_view kSignatureHeaderName = "DKIM-Signature";

struct Signature {
  std::string a = "rsa-sha256";       // algorithm
  Canon header_canon = Canon::relaxed;  // c= before the slash
  Canon body_canon = Canon::relaxed;    // c= after the slash
  std::string d;                        // signing domain
  std::string s;                        // selector
  std::optional<std::int64_t> t;       // signing time, seconds since the epoch
  std::optional<std::int64_t> x;       // expiry
  std::vector<std::string> h;          // signed header names, in order, repeats allowed
  std::string bh;                      // base64 body hash
  std::string b;                       // base64 signature; empty while hashing

  std::string c() const;               // "relaxed/relaxed"
  std::string to_header() const;       // "DKIM-Signature: ...\r\n", folded
};

// without_b_value - a DKIM-Signature value with the b= tag's value (and the
// whitespace around it) removed, as verifiers and signers hash it (§3.7).
// The value of "b=" is located only at a tag start, so "bh=" is untouched.
std::string without_b_value(std::string_view signature_value);

}  // namespace tern::dkim
