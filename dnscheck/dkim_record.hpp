// dkim_record.hpp - DKIM public-key TXT records (RFC 6376 §3.6.1, RFC 8463):
// a pure parser and a key comparison.
//
// parse_dkim_key promises, for the joined TXT value:
//   - tag-list syntax (RFC 6376 §3.2); a repeated tag is invalid;
//   - v=, if present, is first and exactly DKIM1;
//   - k= is rsa (the default) or ed25519;
//   - p= is required; an empty p= parses as a revoked key (revoked = true);
//     whitespace inside p= is legal and dropped; PEM armour, quote marks or
//     bad base64 are errors that say how to fix the value;
//   - rsa: p= must be a DER SubjectPublicKeyInfo RSA key; under 1024 bits is
//     an error, exactly 1024 a warning; ed25519: 32 raw bytes (an SPKI
//     wrapper is an error: RFC 8463 publishes the raw key);
//   - h=, if present, must allow sha256; s=, if present, must allow email
//     ("email" or "*"); t=y is a warning (testing).
// Errors are invalid_argument with the reason as message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/util/result.hpp"

namespace tern::dns {

struct DkimKeyRecord {
  std::string key_type = "rsa";     // "rsa" or "ed25519"
  std::string public_key;           // decoded p= bytes; empty when revoked
  std::string public_key_base64;    // p= without whitespace
  bool revoked = false;             // p= present but empty
  bool testing = false;             // t=y
  bool strict = false;              // t=s
  int key_bits = 0;                 // rsa modulus size; 256 for ed25519
  std::vector<std::string> hashes;  // h=, empty = any
  std::vector<std::string> warnings;
};

Result<DkimKeyRecord> parse_dkim_key(std::string_view txt);

// same_dkim_key - same key type and same decoded key bytes.
bool same_dkim_key(const DkimKeyRecord& a, const DkimKeyRecord& b);

// dkim_key_fingerprint - "sha256:" + first 16 hex digits of SHA-256 over
// the decoded key, to tell keys apart in messages.
std::string dkim_key_fingerprint(const DkimKeyRecord& key);

}  // namespace tern::dns
