// secret_box.cpp - AES-256-GCM sealing of secrets at rest (OpenSSL EVP).
//
// The box key is HKDF-SHA256 (RFC 5869) of TERN_MASTER_KEY with a fixed
// label as info, so the master key itself never encrypts anything and other
// uses of it derive unrelated keys. The version byte is also authenticated
// (it leads the associated data), so it cannot be swapped undetected.
#include "store/util/secret_box.hpp"

#include <openssl/evp.h>

#include <memory>

#include "store/util/encoding.hpp"

namespace tern {
namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kSalt = "tern-secret-box-salt";
constexpr std::string_view kInfo = "tern secret box v1: AES-256-GCM key";

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// hkdf_sha256_32 - RFC 5869 extract and one expand block (32 bytes).
std::string hkdf_sha256_32(std::string_view ikm, std::string_view salt, std::string_view info) {
  std::string prk = hmac_sha256(salt, ikm);
  std::string block(info);
  block += char(1);
  return hmac_sha256(prk, block);
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// gcm_init - a context for key and nonce with the AAD (version, associated_data) fed.
bool gcm_init(EVP_CIPHER_CTX* ctx, bool encrypt, std::string_view key, std::string_view nonce,
              std::string_view associated_data) {
  int len = 0;
  unsigned char version = kVersion;
  return EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, int(nonce.size()), nullptr) == 1 &&
         EVP_CipherInit_ex(ctx, nullptr, nullptr, bytes(key), bytes(nonce), encrypt ? 1 : 0) == 1 &&
         EVP_CipherUpdate(ctx, nullptr, &len, &version, 1) == 1 &&
         EVP_CipherUpdate(ctx, nullptr, &len, bytes(associated_data), int(associated_data.size())) == 1;
}

}  // namespace

SecretBox::SecretBox(std::string_view master_key) : key_(hkdf_sha256_32(master_key, kSalt, kInfo)) {}

Result<std::string> SecretBox::seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string nonce = random_bytes(kNonceBytes);
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || !gcm_init(ctx.get(), true, key_, nonce, associated_data))
    return fail(Errc::internal, "AES-GCM setup failed");
  std::string out;
  out += char(kVersion);
  out += nonce;
  std::size_t header = out.size();
  out.resize(header + plaintext.size() + kTagBytes);
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + header;
  int len = 0;
  int final_len = 0;
  if (EVP_EncryptUpdate(ctx.get(), dst, &len, bytes(plaintext), int(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), dst + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int(kTagBytes), dst + len + final_len) != 1)
    return fail(Errc::internal, "AES-GCM encryption failed");
  out.resize(header + std::size_t(len + final_len) + kTagBytes);
  return base64_encode(out);
}

Result<std::string> SecretBox::open(std::string_view sealed, std::string_view associated_data) const {
  auto raw = base64_decode(sealed);
  if (!raw) return fail(Errc::invalid_argument, "sealed secret is not base64");
  if (raw->size() < 1 + kNonceBytes + kTagBytes) return fail(Errc::invalid_argument, "sealed secret too short");
  if (static_cast<unsigned char>((*raw)[0]) != kVersion)
    return fail(Errc::invalid_argument, "sealed secret has an unknown version");
  std::string_view view(*raw);
  std::string_view nonce = view.substr(1, kNonceBytes);
  std::string_view ciphertext = view.substr(1 + kNonceBytes, view.size() - 1 - kNonceBytes - kTagBytes);
  std::string tag(view.substr(view.size() - kTagBytes));

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || !gcm_init(ctx.get(), false, key_, nonce, associated_data))
    return fail(Errc::internal, "AES-GCM setup failed");
  std::string plaintext(ciphertext.size(), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(plaintext.data());
  int len = 0;
  int final_len = 0;
  if (EVP_DecryptUpdate(ctx.get(), dst, &len, bytes(ciphertext), int(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int(kTagBytes), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), dst + len, &final_len) != 1)
    return fail(Errc::invalid_argument, "sealed secret does not open (wrong key, associated data or tampered)");
  plaintext.resize(std::size_t(len + final_len));
  return plaintext;
}

}  // namespace tern
