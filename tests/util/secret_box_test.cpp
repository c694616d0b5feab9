// secret_box_test.cpp - AES-256-GCM sealing: round trips, and every way an
// input must fail to open (wrong key, tampering, wrong associated data,
// malformed text).
#include "store/util/secret_box.hpp"

#include <gtest/gtest.h>

#include "store/util/encoding.hpp"

namespace tern {
namespace {

constexpr const char* kMaster = "test master key, not a real one";

TEST(SecretBox, RoundTrip) {
  SecretBox box(kMaster);
  std::string secret = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v\n-----END PRIVATE KEY-----\n";
  auto sealed = box.seal(secret, "domain:d_1");
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->find("PRIVATE"), std::string::npos);
  auto opened = box.open(*sealed, "domain:d_1");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(*opened, secret);
}

TEST(SecretBox, LayoutIsVersionNonceCiphertextTag) {
  SecretBox box(kMaster);
  auto sealed = box.seal("abc", "");
  ASSERT_TRUE(sealed.has_value());
  auto raw = base64_decode(*sealed);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 1u + 12u + 3u + 16u);
  EXPECT_EQ((*raw)[0], '\x01');
}

TEST(SecretBox, EmptyPlaintext) {
  SecretBox box(kMaster);
  auto sealed = box.seal("", "ad");
  ASSERT_TRUE(sealed.has_value());
  auto opened = box.open(*sealed, "ad");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(*opened, "");
  EXPECT_FALSE(box.open(*sealed, "other").has_value());
}

TEST(SecretBox, FreshNonceEachTime) {
  SecretBox box(kMaster);
  EXPECT_NE(*box.seal("same", "ad"), *box.seal("same", "ad"));
}

TEST(SecretBox, WrongKeyFails) {
  auto sealed = SecretBox(kMaster).seal("secret", "ad");
  ASSERT_TRUE(sealed.has_value());
  auto opened = SecretBox("another master key").open(*sealed, "ad");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::invalid_argument);
}

TEST(SecretBox, EveryTamperedByteFails) {
  SecretBox box(kMaster);
  auto sealed = box.seal("secret payload", "ad");
  ASSERT_TRUE(sealed.has_value());
  std::string raw = *base64_decode(*sealed);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string bad = raw;
    bad[i] = char(bad[i] ^ 0x01);
    EXPECT_FALSE(box.open(base64_encode(bad), "ad").has_value()) << "byte " << i;
  }
  EXPECT_FALSE(box.open(base64_encode(raw.substr(0, raw.size() - 1)), "ad").has_value());
  EXPECT_FALSE(box.open(base64_encode(raw + "x"), "ad").has_value());
}

TEST(SecretBox, WrongAssociatedDataFails) {
  SecretBox box(kMaster);
  auto sealed = box.seal("secret", "domain:d_1");
  ASSERT_TRUE(sealed.has_value());
  EXPECT_FALSE(box.open(*sealed, "domain:d_2").has_value());
  EXPECT_FALSE(box.open(*sealed, "").has_value());
}

TEST(SecretBox, MalformedInputFails) {
  SecretBox box(kMaster);
  for (const char* bad : {"", "not base64!", "AAAA", "AQ==", "====", "  "}) {
    auto opened = box.open(bad, "ad");
    ASSERT_FALSE(opened.has_value()) << bad;
    EXPECT_EQ(opened.error().code, Errc::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace tern
