// webhook_signature_test.cpp - the Standard Webhooks vector from
// protocols.md §5, verification rules, and a cross-check against an
// implementation that is not ours (the openssl command line).
#include "worker/webhook_signature.hpp"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "store/util/encoding.hpp"
#include "tests/peers/process.hpp"

namespace tern::worker {
namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTimestamp = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(WebhookSignature, MatchesTheStandardWebhooksVector) {
  auto sig = sign(kSecret, kId, kTimestamp, kBody);
  ASSERT_TRUE(sig) << sig.error().message;
  EXPECT_EQ(*sig, kExpected);
  // The prefix is optional; the key is the decoded bytes either way.
  EXPECT_EQ(*sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kId, kTimestamp, kBody), kExpected);
}

TEST(WebhookSignature, AnyChangeBreaksIt) {
  EXPECT_NE(*sign(kSecret, kId, kTimestamp + 1, kBody), kExpected);
  EXPECT_NE(*sign(kSecret, "msg_p5jXN8AQM9LWM0D4loKWxJeK", kTimestamp, kBody), kExpected);
  EXPECT_NE(*sign(kSecret, kId, kTimestamp, R"({"test": 2432232315})"), kExpected);
  EXPECT_NE(*sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSv", kId, kTimestamp, kBody), kExpected);
}

TEST(WebhookSignature, RejectsASecretThatIsNotBase64) {
  auto bad = sign("whsec_not base64!", kId, kTimestamp, kBody);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_FALSE(sign("whsec_", kId, kTimestamp, kBody));
}

TEST(WebhookSignature, VerifyAcceptsAnyListedV1Entry) {
  EXPECT_TRUE(verify(kSecret, kId, kTimestamp, kBody, kExpected));
  EXPECT_TRUE(verify(kSecret, kId, kTimestamp, kBody, std::string("v1,AAAA ") + kExpected));
  EXPECT_FALSE(verify(kSecret, kId, kTimestamp, kBody, "v1,AAAA v1,BBBB"));
  EXPECT_FALSE(verify(kSecret, kId, kTimestamp, kBody, ""));
  EXPECT_FALSE(verify(kSecret, kId, kTimestamp, kBody, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
}

TEST(WebhookSignature, HeadersCarryBothTriples) {
  auto headers = signed_headers(kSecret, kId, kTimestamp, kBody);
  ASSERT_TRUE(headers);
  std::map<std::string, std::string> h;
  for (const auto& [name, value] : *headers) h[name] = value;
  EXPECT_EQ(h["Content-Type"], "application/json");
  EXPECT_EQ(h["webhook-id"], kId);
  EXPECT_EQ(h["svix-id"], kId);
  EXPECT_EQ(h["webhook-timestamp"], "1614265330");
  EXPECT_EQ(h["svix-timestamp"], "1614265330");
  EXPECT_EQ(h["webhook-signature"], kExpected);
  EXPECT_EQ(h["svix-signature"], kExpected);
}

// openssl dgst computes the HMAC independently; compare on a body with
// bytes a naive implementation might mangle.
TEST(WebhookSignature, AgreesWithOpensslDgst) {
  const std::string openssl = testing::find_program("openssl");
  if (openssl.empty()) GTEST_SKIP() << "openssl command not installed";
  testing::TempDir dir;
  const std::string secret = "whsec_" + base64_encode(random_bytes(32));
  const std::string id = "msg_2c5Jq6bT0yWQ1sX9Lr3aVd8Kf";
  const int64_t ts = 1763854872;
  const std::string body = "{\"type\":\"email.delivered\",\"data\":{\"subject\":\"h\\u00e9llo \xc3\xa9 \\\"q\\\"\\n\"}}";
  const std::string path = dir.path() + "/content";
  std::ofstream(path, std::ios::binary) << id << "." << ts << "." << body;
  const std::string key_hex = hex_encode(*signing_key(secret));
  const std::string cmd = openssl + " dgst -sha256 -mac HMAC -macopt hexkey:" + key_hex + " -binary " + path +
                          " | " + openssl + " base64 -A";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[256] = {};
  size_t n = fread(buf, 1, sizeof buf - 1, pipe);
  ASSERT_EQ(pclose(pipe), 0);
  std::string theirs(buf, n);
  EXPECT_EQ(*sign(secret, id, ts, body), "v1," + theirs);
}

}  // namespace
}  // namespace tern::worker
