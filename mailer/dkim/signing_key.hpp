// signing_key.hpp - a DKIM private key (RSA or Ed25519), the one owner of an
// OpenSSL EVP_PKEY in the mailer. The only header of mailer/dkim that knows
// key material; the .cpp is the only file that includes <openssl/evp.h>.
//
// Errors: Errc::invalid_argument for unreadable or unsupported keys (RSA
// under 1024 bits is refused, RFC 8301), Errc::internal for OpenSSL failures.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::dkim {

enum class KeyType { rsa, ed25519 };
const char* to_string(KeyType type);       // "rsa", "ed25519" (the k= tag)
const char* algorithm_tag(KeyType type);   // "rsa-sha256", "ed25519-sha256" (the a= tag)

class SigningKey {
 public:
  static Result<SigningKey> generate(KeyType type, int rsa_bits = 2048);
  static Result<SigningKey> from_private_pem(std::string_view pem);      // PKCS#8 or traditional RSA PEM
  static Result<SigningKey> from_ed25519_seed(std::string_view seed32);  // RFC 8032 raw 32-byte seed

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  KeyType type() const { return type_; }
  int bits() const;

  std::string private_pem() const;  // PKCS#8 PEM; a secret: never log it
  // public_key_base64 - the p= value: RSA SubjectPublicKeyInfo DER, Ed25519
  // the 32 raw public bytes (RFC 8463), base64 without line breaks.
  std::string public_key_base64() const;

  // sign - RSA: PKCS#1 v1.5 signature of SHA-256(data). Ed25519: PureEdDSA
  // over data as given (DKIM passes SHA-256 of the header hash input, RFC 8463).
  Result<std::string> sign(std::string_view data) const;

 private:
  struct Impl;
  SigningKey(KeyType type, std::unique_ptr<Impl> impl);
  KeyType type_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::dkim
