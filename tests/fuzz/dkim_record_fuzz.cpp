// dkim_record_fuzz.cpp - libFuzzer target for dns::parse_dkim_key.
//
// Invariants: a parse error is invalid_argument with a reason; an accepted
// key is rsa or ed25519; revoked exactly when the key is empty; an rsa key
// has at least 1024 bits, an ed25519 key 32 bytes; p= without whitespace
// decodes to the key; a live key equals itself and has a "sha256:"
// fingerprint, a revoked key matches nothing.
#include <string>

#include "dnscheck/dkim_record.hpp"
#include "store/util/encoding.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace dns = tern::dns;
  auto key = dns::parse_dkim_key(tern::fuzz::as_view(data, size));
  if (!key) {
    FUZZ_CHECK(key.error().code == tern::Errc::invalid_argument, "parse errors are invalid_argument");
    FUZZ_CHECK(!key.error().message.empty(), "parse error without a reason");
    return 0;
  }
  FUZZ_CHECK(key->key_type == "rsa" || key->key_type == "ed25519", "unknown key type accepted");
  FUZZ_CHECK(key->revoked == key->public_key.empty(), "revoked does not match an empty key");
  if (!key->revoked) {
    if (key->key_type == "rsa") FUZZ_CHECK(key->key_bits >= 1024, "rsa key under 1024 bits accepted");
    if (key->key_type == "ed25519") FUZZ_CHECK(key->public_key.size() == 32, "ed25519 key not 32 bytes");
    FUZZ_CHECK(key->public_key_base64.find_first_of(" \t\r\n") == std::string::npos, "whitespace kept in p=");
    const auto decoded = tern::base64_decode(key->public_key_base64);
    FUZZ_CHECK(decoded && *decoded == key->public_key, "p= does not decode to the key");
    FUZZ_CHECK(dns::dkim_key_fingerprint(*key).rfind("sha256:", 0) == 0, "fingerprint without sha256:");
    FUZZ_CHECK(dns::same_dkim_key(*key, *key), "a key differs from itself");
  } else {
    FUZZ_CHECK(!dns::same_dkim_key(*key, *key), "a revoked key matches");
  }
  return 0;
}
