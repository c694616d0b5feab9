// signing_key.cpp - SigningKey over OpenSSL 3 EVP_PKEY.
//
// The only file of mailer/dkim that includes <openssl/evp.h>: key
// generation, PEM in and out, the DKIM p= value and the two signature
// schemes. RSA signs SHA-256 with PKCS#1 v1.5 padding; Ed25519 is
// PureEdDSA (no digest in EVP_DigestSign), so DKIM's SHA-256 step happens in
// the signer (RFC 8463 §3).
#include "mailer/dkim/signing_key.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <string>
#include <utility>

#include "store/util/encoding.hpp"

namespace tern::dkim {
namespace {

constexpr std::size_t kEd25519KeyBytes = 32;
constexpr int kMinRsaBits = 1024;  // RFC 8301 §3.2: verifiers MUST NOT accept less

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// openssl_error - the newest queued OpenSSL error as text, queue cleared.
std::string openssl_error(std::string_view what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  std::string out(what);
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  return out;
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, std::size_t(len)) : std::string();
}

// key_type_of - rsa or ed25519, or an error for any other algorithm.
Result<KeyType> key_type_of(EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(pkey) < kMinRsaBits)
        return fail(Errc::invalid_argument, "RSA key under 1024 bits (RFC 8301)");
      return KeyType::rsa;
    case EVP_PKEY_ED25519:
      return KeyType::ed25519;
    default:
      return fail(Errc::invalid_argument, "unsupported key type (want RSA or Ed25519)");
  }
}

}  // namespace

struct SigningKey::Impl {
  PkeyPtr pkey;
};

const char* to_string(KeyType type) { return type == KeyType::rsa ? "rsa" : "ed25519"; }

const char* algorithm_tag(KeyType type) { return type == KeyType::rsa ? "rsa-sha256" : "ed25519-sha256"; }

SigningKey::SigningKey(KeyType type, std::unique_ptr<Impl> impl) : type_(type), impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate(KeyType type, int rsa_bits) {
  if (type == KeyType::rsa && rsa_bits < kMinRsaBits)
    return fail(Errc::invalid_argument, "RSA key under 1024 bits (RFC 8301)");
  int id = type == KeyType::rsa ? EVP_PKEY_RSA : EVP_PKEY_ED25519;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(id, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0)
    return fail(Errc::internal, openssl_error("key generation setup failed"));
  if (type == KeyType::rsa && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits) <= 0)
    return fail(Errc::internal, openssl_error("cannot set RSA key size"));
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) <= 0) return fail(Errc::internal, openssl_error("key generation failed"));
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(raw);
  return SigningKey(type, std::move(impl));
}

Result<SigningKey> SigningKey::from_private_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  if (!bio) return fail(Errc::internal, openssl_error("BIO_new_mem_buf failed"));
  // PEM_read_bio_PrivateKey reads PKCS#8 ("PRIVATE KEY") and the traditional
  // "RSA PRIVATE KEY" form; a null passphrase callback refuses encrypted PEM.
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
  if (!pkey) return fail(Errc::invalid_argument, openssl_error("unreadable private key PEM"));
  auto type = key_type_of(pkey.get());
  if (!type) return tl::unexpected(type.error());
  auto impl = std::make_unique<Impl>();
  impl->pkey = std::move(pkey);
  return SigningKey(*type, std::move(impl));
}

Result<SigningKey> SigningKey::from_ed25519_seed(std::string_view seed32) {
  if (seed32.size() != kEd25519KeyBytes)
    return fail(Errc::invalid_argument, "an Ed25519 seed is 32 bytes");
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                            reinterpret_cast<const unsigned char*>(seed32.data()),
                                            seed32.size()));
  if (!pkey) return fail(Errc::internal, openssl_error("cannot load Ed25519 seed"));
  auto impl = std::make_unique<Impl>();
  impl->pkey = std::move(pkey);
  return SigningKey(KeyType::ed25519, std::move(impl));
}

int SigningKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey.get()); }

std::string SigningKey::private_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  return bio_contents(bio.get());
}

std::string SigningKey::public_key_base64() const {
  EVP_PKEY* pkey = impl_->pkey.get();
  if (type_ == KeyType::ed25519) {
    std::string raw(kEd25519KeyBytes, '\0');
    std::size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1) {
      ERR_clear_error();
      return {};
    }
    raw.resize(len);
    return base64_encode(raw);
  }
  int len = i2d_PUBKEY(pkey, nullptr);  // SubjectPublicKeyInfo DER
  if (len <= 0) {
    ERR_clear_error();
    return {};
  }
  std::string der(std::size_t(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_PUBKEY(pkey, &out);
  return base64_encode(der);
}

Result<std::string> SigningKey::sign(std::string_view data) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return fail(Errc::internal, openssl_error("EVP_MD_CTX_new failed"));
  // Ed25519 takes no digest (PureEdDSA); RSA defaults to PKCS#1 v1.5 padding.
  const EVP_MD* md = type_ == KeyType::rsa ? EVP_sha256() : nullptr;
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, impl_->pkey.get()) != 1)
    return fail(Errc::internal, openssl_error("signature setup failed"));
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1)
    return fail(Errc::internal, openssl_error("signature size query failed"));
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len, in, data.size()) != 1)
    return fail(Errc::internal, openssl_error("signing failed"));
  signature.resize(len);
  return signature;
}

}  // namespace tern::dkim
