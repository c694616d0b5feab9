// secret_box.hpp - authenticated encryption of secrets at rest (DKIM private
// keys) with AES-256-GCM under a key derived from TERN_MASTER_KEY.
//
// seal() output: base64(version byte | 12-byte random nonce | ciphertext |
// 16-byte tag). associated_data (e.g. the domain id) is authenticated but
// not stored, so a sealed key copied onto another domain does not open.
// open() fails with Errc::invalid_argument on a wrong key, tampering or a
// malformed input; it never returns partial plaintext.
#pragma once

#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern {

class SecretBox {
 public:
  explicit SecretBox(std::string_view master_key);

  Result<std::string> seal(std::string_view plaintext, std::string_view associated_data) const;
  Result<std::string> open(std::string_view sealed, std::string_view associated_data) const;

 private:
  std::string key_;  // 32 bytes
};

}  // namespace tern
