// test_tls.cpp - runtime CA and server certificate (see test_tls.hpp).
#include "tests/peers/test_tls.hpp"

#include <atomic>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tern::testing {
namespace {

struct KeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct CertFree { void operator()(X509* c) const { X509_free(c); } };
struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

Key make_key() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  check(key != nullptr, "EC key generation");
  return key;
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// make_cert - a certificate for `key` named `cn`; self-signed when issuer is null.
Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, long serial) {
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509* x = cert.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 30L * 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer : x, x, nullptr, nullptr, 0);
  add_extension(x, &ctx, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    add_extension(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(x, &ctx, NID_basic_constraints, "CA:FALSE");
    add_extension(x, &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(x, &ctx, NID_ext_key_usage, "serverAuth");
    add_extension(x, &ctx, NID_authority_key_identifier, "keyid");
    add_extension(x, &ctx, NID_subject_alt_name, "DNS:" + cn + ",IP:127.0.0.1");
  }
  check(X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string cert_pem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  return bio_string(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  return bio_string(bio.get());
}

}  // namespace

TestPki make_test_pki(const std::string& dir, const std::string& host_name) {
  static std::atomic<long> serial{1000};
  Key ca_key = make_key();
  long ca_serial = serial.fetch_add(2);
  Cert ca = make_cert(ca_key.get(), "Tern Test CA " + std::to_string(ca_serial), nullptr, nullptr, ca_serial);
  Key server_key = make_key();
  Cert server = make_cert(server_key.get(), host_name, ca.get(), ca_key.get(), ca_serial + 1);

  TestPki pki;
  pki.ca_cert_pem = cert_pem(ca.get());
  pki.server_cert_pem = cert_pem(server.get());
  pki.server_key_pem = key_pem(server_key.get());
  pki.ca_file = dir + "/ca.pem";
  std::ofstream out(pki.ca_file, std::ios::binary | std::ios::trunc);
  out << pki.ca_cert_pem;
  check(static_cast<bool>(out), "writing ca.pem");
  return pki;
}

}  // namespace tern::testing
