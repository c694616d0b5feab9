#include "store/util/encoding.hpp"

#include <gtest/gtest.h>

#include "store/util/ids.hpp"

namespace tern {
namespace {

TEST(Encoding, Base64Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(*base64_decode("Zm9vYg"), "foob");
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Z"));
}

TEST(Encoding, StandardWebhooksVector) {
  // protocols.md §5: secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
  auto key = base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key);
  auto mac = hmac_sha256(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}");
  EXPECT_EQ(base64_encode(mac), "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(Encoding, Sha256AndHex) {
  EXPECT_EQ(hex_encode(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

TEST(Ids, UuidShape) {
  auto a = new_uuid();
  EXPECT_TRUE(is_uuid(a));
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, new_uuid());
  EXPECT_FALSE(is_uuid("not-a-uuid"));
  EXPECT_FALSE(is_uuid("49a3999c-0ce1-4ea6-ab68-afcd6dc2e79g"));
}

}  // namespace
}  // namespace tern
