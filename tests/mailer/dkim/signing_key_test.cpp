// signing_key_test.cpp - key generation, PEM round trips, the p= value and
// the two signature schemes (RFC 8032 test 1 for Ed25519).
#include "mailer/dkim/signing_key.hpp"

#include <gtest/gtest.h>

#include "store/util/encoding.hpp"

namespace tern::dkim {
namespace {

// RFC 8463 A.1 = RFC 8032 §7.1 test 1.
constexpr const char* kRfcSeed = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
constexpr const char* kRfcPublic = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

SigningKey rfc_key() {
  auto key = SigningKey::from_ed25519_seed(*base64_decode(kRfcSeed));
  EXPECT_TRUE(key.has_value());
  return std::move(*key);
}

TEST(SigningKey, TagNames) {
  EXPECT_STREQ(to_string(KeyType::rsa), "rsa");
  EXPECT_STREQ(to_string(KeyType::ed25519), "ed25519");
  EXPECT_STREQ(algorithm_tag(KeyType::rsa), "rsa-sha256");
  EXPECT_STREQ(algorithm_tag(KeyType::ed25519), "ed25519-sha256");
}

TEST(SigningKey, Ed25519SeedGivesTheRfcPublicKey) {
  SigningKey key = rfc_key();
  EXPECT_EQ(key.type(), KeyType::ed25519);
  EXPECT_EQ(key.public_key_base64(), kRfcPublic);
  EXPECT_EQ(key.public_key_base64().size(), 44u);
}

TEST(SigningKey, Ed25519SignsRfc8032TestOne) {
  // RFC 8032 §7.1 TEST 1: the empty message.
  auto signature = rfc_key().sign("");
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(hex_encode(*signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

TEST(SigningKey, SeedMustBe32Bytes) {
  EXPECT_FALSE(SigningKey::from_ed25519_seed("short").has_value());
  EXPECT_EQ(SigningKey::from_ed25519_seed(std::string(33, 'x')).error().code, Errc::invalid_argument);
}

TEST(SigningKey, GeneratesRsa2048AndRoundTripsPem) {
  auto key = SigningKey::generate(KeyType::rsa);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->type(), KeyType::rsa);
  EXPECT_EQ(key->bits(), 2048);
  std::string pem = key->private_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto again = SigningKey::from_private_pem(pem);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->public_key_base64(), key->public_key_base64());
  // SubjectPublicKeyInfo of 2048-bit RSA: 294 DER bytes, over one 255-byte TXT string.
  EXPECT_EQ(base64_decode(key->public_key_base64())->size(), 294u);
  auto a = key->sign("data");
  auto b = again->sign("data");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 256u);
  EXPECT_EQ(*a, *b);  // PKCS#1 v1.5 is deterministic
}

TEST(SigningKey, GeneratesEd25519AndRoundTripsPem) {
  auto key = SigningKey::generate(KeyType::ed25519);
  ASSERT_TRUE(key.has_value());
  auto again = SigningKey::from_private_pem(key->private_pem());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->type(), KeyType::ed25519);
  EXPECT_EQ(again->public_key_base64(), key->public_key_base64());
  auto a = key->sign("x");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->size(), 64u);
}

TEST(SigningKey, DistinctGeneratedKeys) {
  auto a = SigningKey::generate(KeyType::ed25519);
  auto b = SigningKey::generate(KeyType::ed25519);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->public_key_base64(), b->public_key_base64());
}

TEST(SigningKey, RefusesSmallRsaAndGarbage) {
  EXPECT_EQ(SigningKey::generate(KeyType::rsa, 512).error().code, Errc::invalid_argument);
  EXPECT_EQ(SigningKey::from_private_pem("not a pem").error().code, Errc::invalid_argument);
  EXPECT_EQ(SigningKey::from_private_pem("").error().code, Errc::invalid_argument);
}

// Test-only keys made with `openssl genrsa -traditional`.
constexpr const char* kTraditionalRsa1024 =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIICXQIBAAKBgQC2QI5JTp/jxrWgBdxcMh+Xm8CvOSFNx+2Pvyh8Bq3bAvMSchkb\n"
    "aDDa2cTXaUT0WNztlb3PioB7ByFJZGtJg+rBwJxhQIBSWQxLjqgCpfT4J/k7QihT\n"
    "EC5h9YxXR82POvZdAqr0kX4URIQpJoX5CahcYdgj0Fg/TjVlxcqFWEBHpwIDAQAB\n"
    "AoGAd4o8SaUChrpNYxq1ANv3kM+eQNAuIgBit4hgm4kd+6shmBWyliFu+f0geVIY\n"
    "4lRvBH7VMw3bW9a/ZI4zONMH5NSnFVQ/66+Bdrr3xAJTtFRdwr1Rk9N8+SZzYnZz\n"
    "HlVs60Yyk5xdkWvpKA4ZI1wdYFMUTluqQTA4p8qZouj6stECQQDyHM0IbtyyqQdH\n"
    "Aj4/VZbY2P05jNXlqXaii8/G8IIrlBWZeqwYDBglUL035TtYMo2Wm0XvXnw+oneq\n"
    "eEVHAtCVAkEAwLTC1IWRJMRZxsHY4AUMGTFsUBIUGBae9Iu53QtIxyMZf/N9wgju\n"
    "sIWSK6DQ0If+OF+H2M0XVtZnr2ycpZF8SwJAKxnrekvaKEglDoQctsOy5gnDEsK6\n"
    "tXb0sr03ERBx6/Yh3j/TcTh99+6msNOzO+FMCXq8+X8VmUTtDsD4fErI/QJBAId6\n"
    "zfrRyKA7tw5IXGvqwH25xHdqrlvdE3XEAjDIbSsrnxLYodJXq0/JKGGp1wS0h2Mk\n"
    "roIadk0jwZOQXXT9mo8CQQC9zC5FtyAiJAyDuO8X+l/IJ8oyp2ia9LPNV67+99xG\n"
    "xoowWKUT3PQyTnBwb/+4SPQZ+oKGyMpJrfujHqdW3bif\n"
    "-----END RSA PRIVATE KEY-----\n";
constexpr const char* kTraditionalRsa512 =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIBOwIBAAJBAN2jnaBUbptSA29NLtIdwPej8cu1ygpzov9SPt1Nvo9T0cPWGjOY\n"
    "hiEpKux6yvAeL/ChhWmeLuuuPk/rTp7Uh2sCAwEAAQJBAKkM+dZnb/HSLUKAqVyk\n"
    "SyHXjz7kipVMPB/oWICtotJoHelX/7X5CF0dcknHA6gqJAMULJuhAnGg+0NYNqnE\n"
    "G/kCIQDxRPBwvqLBNu0op2Zo5ISLygvfp5e5sjsn6rFKv07GXQIhAOsr2u1m14K5\n"
    "49fUBlFNgfLzlyuNv6Zmuu4ZX0SFEhhnAiBnRH2xlDcvgiYCV5xi2yTMfH+WjDJJ\n"
    "/jqJvE+EUdwS1QIhAKUeeq3bWo/X8yj0HqdxMz+hVs/my9yLHs7Uk7ZpdIYbAiA/\n"
    "ZsqHQFoIYnQE8SW0NPFm7RLn66iFBTkVo8PdxwGHxA==\n"
    "-----END RSA PRIVATE KEY-----\n";

TEST(SigningKey, ReadsTraditionalRsaPem) {
  auto key = SigningKey::from_private_pem(kTraditionalRsa1024);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->type(), KeyType::rsa);
  EXPECT_EQ(key->bits(), 1024);  // the RFC 8301 floor
  EXPECT_EQ(key->private_pem().rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
}

TEST(SigningKey, RefusesRsaUnder1024FromPem) {
  auto key = SigningKey::from_private_pem(kTraditionalRsa512);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tern::dkim
