// dkim_record_test.cpp - DKIM key records: valid forms (whitespace in p=,
// tags in any order, Ed25519), broken ones with their reasons, revocation,
// and key comparison by decoded bytes.
#include "dnscheck/dkim_record.hpp"

#include <gtest/gtest.h>

#include <random>

#include "store/util/encoding.hpp"
#include "tests/dnscheck/dkim_test_keys.hpp"

namespace tern::dns {
namespace {

using test_keys::ed25519;
using test_keys::rsa1024;
using test_keys::rsa2048_a;
using test_keys::rsa2048_b;
using test_keys::rsa512;

// with_spaces - the base64 broken by spaces and folding every 64 characters,
// as some DNS consoles show it.
std::string with_spaces(const std::string& base64) {
  std::string out;
  for (std::size_t i = 0; i < base64.size(); i += 64) out += base64.substr(i, 64) + (i % 128 ? " " : "\r\n\t");
  return out;
}

TEST(DkimKeyParse, RsaRecord) {
  auto key = parse_dkim_key("v=DKIM1; k=rsa; p=" + rsa2048_a());
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->key_type, "rsa");
  EXPECT_EQ(key->key_bits, 2048);
  EXPECT_FALSE(key->revoked);
  EXPECT_EQ(key->public_key, *base64_decode(rsa2048_a()));
  EXPECT_EQ(key->public_key_base64, rsa2048_a());
  EXPECT_TRUE(key->warnings.empty());
}

TEST(DkimKeyParse, ValidForms) {
  const std::string valid[] = {
      "p=" + rsa2048_a(),                                      // Resend's form: no v=, k= defaults to rsa
      "v=DKIM1; p=" + with_spaces(rsa2048_a()),                // whitespace inside p= is legal
      "v=DKIM1;k=rsa;h=sha1:sha256;s=email;t=s;n=notes here;p=" + rsa2048_a() + ";",
      "v=DKIM1; s=*; p=" + rsa2048_a() + "; future=tag",       // unknown tags ignored
      "k=ed25519; p=" + ed25519().raw_base64,
      "v=DKIM1; K=nonsense; p=" + rsa2048_a(),                 // tag names are case-sensitive: K= is unknown
  };
  for (const std::string& text : valid) {
    auto key = parse_dkim_key(text);
    EXPECT_TRUE(key) << text << ": " << (key ? "" : key.error().message);
  }
  auto spaced = parse_dkim_key("v=DKIM1; p=" + with_spaces(rsa2048_a()));
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->public_key_base64, rsa2048_a());
  auto ed = parse_dkim_key("v=DKIM1; k=ed25519; p=" + ed25519().raw_base64);
  ASSERT_TRUE(ed);
  EXPECT_EQ(ed->key_type, "ed25519");
  EXPECT_EQ(ed->public_key.size(), 32u);
}

TEST(DkimKeyParse, BrokenRecords) {
  const std::string pem = "-----BEGIN PUBLIC KEY----- " + rsa2048_a() + " -----END PUBLIC KEY-----";
  struct Case {
    std::string text;
    const char* reason;
  } cases[] = {
      {"k=rsa; v=DKIM1; p=" + rsa2048_a(), "first"},
      {"v=DKIM2; p=" + rsa2048_a(), "not v=DKIM1"},
      {"v=DKIM1; bogus", "name=value"},
      {"v=DKIM1; k=rsa", "no p="},
      {"", "empty"},
      {"v=DKIM1; k=dsa; p=" + rsa2048_a(), "k=dsa"},
      {"v=DKIM1; h=sha1; p=" + rsa2048_a(), "sha256"},
      {"v=DKIM1; s=tlsrpt; p=" + rsa2048_a(), "email"},
      {"v=DKIM1; p=" + pem, "PEM"},
      {"v=DKIM1; p=\"" + rsa2048_a() + "\"", "quote"},
      {"v=DKIM1; p=not*base64", "base64"},
      {"v=DKIM1; p=QUJDREVGRw", "RSA public key"},
      {"v=DKIM1; p=" + rsa512(), "512 bits"},
      {"v=DKIM1; k=ed25519; p=" + ed25519().spki_base64, "SubjectPublicKeyInfo"},
      {"v=DKIM1; k=ed25519; p=QUJD", "32 bytes"},
      {"v=DKIM1; k=ed25519; p=" + rsa2048_a(), "32 bytes"},
      {"v=DKIM1; p=a; p=b", "twice"},
  };
  for (const Case& c : cases) {
    auto key = parse_dkim_key(c.text);
    ASSERT_FALSE(key) << c.text;
    EXPECT_NE(key.error().message.find(c.reason), std::string::npos) << c.text << " -> " << key.error().message;
  }
}

TEST(DkimKeyParse, RevokedAndFlags) {
  auto revoked = parse_dkim_key("v=DKIM1; k=rsa; p=");
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_TRUE(revoked->revoked);
  EXPECT_TRUE(revoked->public_key.empty());
  EXPECT_EQ(dkim_key_fingerprint(*revoked), "revoked");

  auto testing = parse_dkim_key("v=DKIM1; t=y:s; p=" + rsa2048_a());
  ASSERT_TRUE(testing);
  EXPECT_TRUE(testing->testing);
  EXPECT_TRUE(testing->strict);
  EXPECT_FALSE(testing->warnings.empty());

  auto weak = parse_dkim_key("v=DKIM1; p=" + rsa1024());
  ASSERT_TRUE(weak) << weak.error().message;
  EXPECT_EQ(weak->key_bits, 1024);
  ASSERT_EQ(weak->warnings.size(), 1u);
  EXPECT_NE(weak->warnings[0].find("1024"), std::string::npos);
}

TEST(DkimKeyCompare, ByDecodedBytesAndType) {
  auto a = parse_dkim_key("v=DKIM1; k=rsa; p=" + rsa2048_a());
  auto a_spaced = parse_dkim_key("p=" + with_spaces(rsa2048_a()));
  auto b = parse_dkim_key("v=DKIM1; k=rsa; p=" + rsa2048_b());
  auto revoked = parse_dkim_key("v=DKIM1; p=");
  ASSERT_TRUE(a && a_spaced && b && revoked);
  EXPECT_TRUE(same_dkim_key(*a, *a_spaced));
  EXPECT_FALSE(same_dkim_key(*a, *b));
  EXPECT_FALSE(same_dkim_key(*revoked, *revoked));
  EXPECT_EQ(dkim_key_fingerprint(*a), dkim_key_fingerprint(*a_spaced));
  EXPECT_NE(dkim_key_fingerprint(*a), dkim_key_fingerprint(*b));
  EXPECT_EQ(dkim_key_fingerprint(*a).rfind("sha256:", 0), 0u);
}

// Bytes in, values out: arbitrary input from the record alphabet, and a
// real key with bytes flipped, never crash the parser.
TEST(DkimKeyParse, SurvivesArbitraryBytes) {
  static constexpr std::string_view kAlphabet = "v=DKIM1; khpstn=rsaed25519ABCDabcd+/0123456789 \t\x01\xff";
  std::mt19937 rng(6376);
  for (int i = 0; i < 2000; ++i) {
    std::string text = i % 2 ? "v=DKIM1; p=" : "";
    const std::size_t size = rng() % 60;
    for (std::size_t j = 0; j < size; ++j) text += kAlphabet[rng() % kAlphabet.size()];
    (void)parse_dkim_key(text);
  }
  const std::string der = *base64_decode(rsa2048_a());
  for (int i = 0; i < 300; ++i) {
    std::string mutated = der;
    mutated[rng() % mutated.size()] = static_cast<char>(rng());
    mutated.resize(rng() % 2 ? mutated.size() : rng() % mutated.size());
    auto key = parse_dkim_key("p=" + base64_encode(mutated));
    if (key) {
      EXPECT_GE(key->key_bits, 1024);
    }
  }
}

}  // namespace
}  // namespace tern::dns
