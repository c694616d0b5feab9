// test_tls.hpp - a throwaway PKI for TLS tests, made at runtime with OpenSSL.
//
// make_test_pki creates a fresh CA (EC P-256, self-signed, CA:TRUE) and a
// server certificate it signs for CN/SAN "localhost" plus SAN IP 127.0.0.1,
// valid from an hour ago for 30 days. The CA certificate is written as PEM
// to <dir>/ca.pem so a client can trust exactly this CA. Every call makes a
// new, unrelated CA: two calls give a "wrong CA" for negative tests.
//
// Errors: throws std::runtime_error (test tool; a failure here is a broken
// test environment, not a result).
#pragma once

#include <string>

namespace tern::testing {

struct TestPki {
  std::string ca_cert_pem;
  std::string server_cert_pem;  // the leaf, signed by the CA
  std::string server_key_pem;   // PKCS#8 PEM
  std::string ca_file;          // path of ca_cert_pem on disk
};

TestPki make_test_pki(const std::string& dir, const std::string& host_name = "localhost");

}  // namespace tern::testing
