// dkim_test_keys.hpp - public keys for the dnscheck tests, made fresh with
// OpenSSL once per process (no key material is checked in). Header-only
// helper shared by the *_test.cpp files of this folder.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>
#include <string>

#include "store/util/encoding.hpp"

namespace tern::dns::test_keys {

// spki_der - DER SubjectPublicKeyInfo of a new key of this type.
inline std::string new_key_der(const char* type, std::size_t rsa_bits, std::string* raw = nullptr) {
  EVP_PKEY* key = rsa_bits ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, rsa_bits)
                           : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
  if (key == nullptr) throw std::runtime_error(std::string("cannot generate a ") + type + " key");
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  if (raw != nullptr) {
    std::size_t length = 32;
    raw->resize(length);
    EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw->data()), &length);
    raw->resize(length);
  }
  EVP_PKEY_free(key);
  return out;
}

inline const std::string& rsa2048_a() {
  static const std::string key = base64_encode(new_key_der("RSA", 2048));
  return key;
}
inline const std::string& rsa2048_b() {
  static const std::string key = base64_encode(new_key_der("RSA", 2048));
  return key;
}
inline const std::string& rsa1024() {
  static const std::string key = base64_encode(new_key_der("RSA", 1024));
  return key;
}
inline const std::string& rsa512() {
  static const std::string key = base64_encode(new_key_der("RSA", 512));
  return key;
}

struct Ed25519Key {
  std::string raw_base64;   // what RFC 8463 publishes
  std::string spki_base64;  // the common mistake
};
inline const Ed25519Key& ed25519() {
  static const Ed25519Key key = [] {
    std::string raw;
    const std::string der = new_key_der("ED25519", 0, &raw);
    return Ed25519Key{base64_encode(raw), base64_encode(der)};
  }();
  return key;
}

}  // namespace tern::dns::test_keys
