// signer.hpp - DKIM signatures (RFC 6376, RFC 8463) over finished messages.
//
// sign_message promises: c=relaxed/relaxed, no l= tag, h= covering the
// headers below that are present, From (and the others present) oversigned
// once (RFC 6376 §8.15), t= from the injected time, and refuses a message
// with zero or several From headers. The input is CRLF bytes; the output is
// the same bytes with the DKIM-Signature header(s) prepended.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mailer/dkim/canonicalize.hpp"
#include "mailer/dkim/signing_key.hpp"
#include "store/util/result.hpp"

namespace tern::dkim {

// The headers Tern signs when present (and oversigns).
std::vector<std::string> default_signed_headers();  // from to cc subject date message-id reply-to mime-version content-type

struct SignerConfig {
  std::string domain;    // d=
  std::string selector;  // s=
  const SigningKey* key = nullptr;
  std::vector<std::string> headers = default_signed_headers();
};

// dkim_signature_header - "DKIM-Signature: ...\r\n" (folded) for message.
Result<std::string> dkim_signature_header(std::string_view message, const SignerConfig& config,
                                          std::chrono::system_clock::time_point now);

// sign_message - every config's header prepended (in order: the first config's signature on top).
Result<std::string> sign_message(std::string_view message, const std::vector<SignerConfig>& configs,
                                 std::chrono::system_clock::time_point now);

// The steps of dkim_signature_header, exposed for tests (the RFC 8463
// Appendix A vector signs a given signature field) and for tools.

// signed_header_names - h= for headers: each wanted name present, lowercased,
// once per occurrence in the order of wanted, then each of them once more
// (the oversigning of RFC 6376 §8.15). Wanted names absent are left out.
std::vector<std::string> signed_header_names(const std::vector<HeaderField>& headers,
                                             const std::vector<std::string>& wanted);

// body_hash - the bh= value: base64 SHA-256 of the canonical body.
std::string body_hash(std::string_view body, Canon canon = Canon::relaxed);

// header_hash_input - what is hashed for b= (§3.7): for each name of h, the
// next unused instance from the bottom (none left: nothing), canonicalized,
// with CRLF; then signature_field (its b= already empty) canonicalized
// without the trailing CRLF.
std::string header_hash_input(const std::vector<HeaderField>& headers, const std::vector<std::string>& h,
                              const HeaderField& signature_field, Canon canon = Canon::relaxed);

// sign_header_hash_input - the b= value (base64) for key: RSA signs the input
// with SHA-256; Ed25519 signs SHA-256 of the input (RFC 8463 §3).
Result<std::string> sign_header_hash_input(std::string_view input, const SigningKey& key);

}  // namespace tern::dkim
