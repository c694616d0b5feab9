// webhook_sender_test.cpp - one webhook request against a real local
// receiver: headers and body as sent, failures as values (5xx, redirect
// not followed, hang -> timeout, refused), https with verification against
// a throwaway CA, and the pinned address used instead of the host name.
#include "worker/webhook_sender.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/peers/process.hpp"
#include "tests/peers/test_tls.hpp"
#include "tests/peers/webhook_receiver.hpp"

namespace tern::worker {
namespace {

using namespace std::chrono_literals;

store::WebhookUrl url(const std::string& text) {
  auto parsed = store::parse_webhook_url(text);
  EXPECT_TRUE(parsed) << text;
  return *parsed;
}

SenderOptions quick(std::string ca_file = {}) { return SenderOptions{2s, std::move(ca_file), 2048}; }

const std::vector<Header> kHeaders = {{"Content-Type", "application/json"}, {"webhook-id", "msg_1"}};
constexpr const char* kBody = R"({"type":"email.sent"})";

TEST(WebhookSender, PostsTheBodyAndHeadersToTheReceiver) {
  testing::WebhookReceiver receiver;
  SendResult r = post_webhook(url(receiver.url("/hook?x=1")), "127.0.0.1", kHeaders, kBody, quick());
  EXPECT_TRUE(r.success()) << r.response;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.response, "ok");
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].path, "/hook");
  EXPECT_EQ(got[0].body, kBody);
  EXPECT_EQ(got[0].headers["content-type"], "application/json");
  EXPECT_EQ(got[0].headers["webhook-id"], "msg_1");
  EXPECT_EQ(got[0].headers["host"], "127.0.0.1:" + std::to_string(receiver.port()));
}

TEST(WebhookSender, ConnectsToThePinnedAddressNotTheName) {
  testing::WebhookReceiver receiver;
  // The name does not resolve anywhere; only the pinned address is dialled
  // and the name travels in the Host header.
  SendResult r = post_webhook(url(receiver.url("/hook", "hooks.invalid")), "127.0.0.1", kHeaders, kBody, quick());
  EXPECT_TRUE(r.success()) << r.response;
  ASSERT_EQ(receiver.count(), 1u);
  EXPECT_EQ(receiver.requests()[0].headers["host"], "hooks.invalid:" + std::to_string(receiver.port()));
}

TEST(WebhookSender, ServerErrorsAndRedirectsAreFailures) {
  testing::WebhookReceiver receiver;
  testing::WebhookReceiver elsewhere;
  receiver.fail_next(1, 503);
  SendResult failed = post_webhook(url(receiver.url()), "127.0.0.1", kHeaders, kBody, quick());
  EXPECT_FALSE(failed.success());
  EXPECT_EQ(failed.http_status, 503);
  receiver.redirect_next(1, elsewhere.url());
  SendResult moved = post_webhook(url(receiver.url()), "127.0.0.1", kHeaders, kBody, quick());
  EXPECT_FALSE(moved.success());
  EXPECT_EQ(moved.http_status, 302);
  EXPECT_EQ(receiver.count(), 2u);
  EXPECT_EQ(elsewhere.count(), 0u);  // never followed
}

TEST(WebhookSender, AHangingEndpointTimesOut) {
  testing::WebhookReceiver receiver;
  receiver.hang_next(1);
  SendResult r = post_webhook(url(receiver.url()), "127.0.0.1", kHeaders, kBody, SenderOptions{300ms, {}, 2048});
  EXPECT_FALSE(r.success());
  EXPECT_FALSE(r.http_status);
  EXPECT_FALSE(r.response.empty());
  receiver.release();
}

TEST(WebhookSender, NobodyListeningIsAFailureWithoutStatus) {
  const uint16_t port = testing::free_loopback_port();
  SendResult r = post_webhook(url("http://127.0.0.1:" + std::to_string(port) + "/"), "127.0.0.1", kHeaders, kBody,
                              quick());
  EXPECT_FALSE(r.success());
  EXPECT_FALSE(r.http_status);
  EXPECT_NE(r.response.find("connect"), std::string::npos) << r.response;
}

class WebhookSenderTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pki = testing::make_test_pki(dir.path(), "localhost");
    cert = dir.path() + "/server.pem";
    key = dir.path() + "/server.key";
    std::ofstream(cert) << pki.server_cert_pem;
    std::ofstream(key) << pki.server_key_pem;
  }
  testing::TempDir dir;
  testing::TestPki pki;
  std::string cert, key;
};

TEST_F(WebhookSenderTlsTest, HttpsVerifiesTheCertificateAgainstTheHostName) {
  testing::WebhookReceiver receiver(cert, key);
  SendResult ok = post_webhook(url(receiver.url("/hook", "localhost")), "127.0.0.1", kHeaders, kBody,
                               quick(pki.ca_file));
  EXPECT_TRUE(ok.success()) << ok.response;
  ASSERT_EQ(receiver.count(), 1u);
  EXPECT_EQ(receiver.requests()[0].body, kBody);
}

TEST_F(WebhookSenderTlsTest, AnUntrustedOrMismatchedCertificateIsRefused) {
  testing::WebhookReceiver receiver(cert, key);
  testing::TempDir other_dir;
  testing::TestPki other = testing::make_test_pki(other_dir.path(), "localhost");
  SendResult untrusted = post_webhook(url(receiver.url("/hook", "localhost")), "127.0.0.1", kHeaders, kBody,
                                      quick(other.ca_file));
  EXPECT_FALSE(untrusted.success());
  EXPECT_FALSE(untrusted.http_status);
  SendResult wrong_name = post_webhook(url(receiver.url("/hook", "hooks.example")), "127.0.0.1", kHeaders, kBody,
                                       quick(pki.ca_file));
  EXPECT_FALSE(wrong_name.success());
  EXPECT_FALSE(wrong_name.http_status);
  EXPECT_EQ(receiver.count(), 0u);
}

}  // namespace
}  // namespace tern::worker
