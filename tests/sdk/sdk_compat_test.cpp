// sdk_compat_test.cpp - the ctest driver of the SDK compatibility suite.
//
// Starts real peers on loopback (redis-server, dnsmasq with an empty zone,
// the scriptable SMTP peer as the relay) and `tern serve` in dev mode,
// creates a full_access key, then runs the official Resend Node SDK suite
// (sdk_compat.test.mjs, `node --test`) against it with TERN_URL and
// TERN_API_KEY, and requires exit status 0. The SDK's node_modules are
// installed with `npm ci` (package-lock.json) only when missing, so runs
// after the first need no network. Finally it checks that an email the
// suite sent with attachments left through SMTP as multipart MIME.
#include <string>

#include <gtest/gtest.h>

#include "tests/integration/harness.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/redis_runner.hpp"
#include "tests/peers/smtp_peer.hpp"
#include "tests/sdk/node_support.hpp"

namespace tern::testing {
namespace {

// attachment_message - the data of the message sent to attachments@, or "".
std::string attachment_message(const SmtpPeer& peer) {
  for (const auto& message : peer.messages())
    for (const auto& rcpt : message.recipients)
      if (rcpt == "attachments@example.test") return message.data;
  return "";
}

TEST(SdkCompat, OfficialNodeSdkWorksAgainstTern) {
  const std::string node = find_in_path("node");
  ASSERT_FALSE(node.empty()) << "node (>= 20.19) is required on PATH";
  ASSERT_TRUE(ensure_node_modules("resend")) << "npm ci --prefix tests/sdk failed";

  RedisServer redis;
  DnsServer dns{DnsZone{}};
  SmtpPeer peer;
  Env env = base_env(redis.port());
  env["TERN_RELAY_URL"] = "smtp://127.0.0.1:" + std::to_string(peer.port());
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  env["TERN_LOG_LEVEL"] = "info";
  env["TERN_MASTER_KEY"] = "sdk-compat-test-master-key";  // domains need it to seal DKIM keys
  env["TERN_WEBHOOK_ALLOW_PRIVATE"] = "true";               // the suite's webhook receiver is on loopback
  TernProcess tern("serve", env);
  const std::string token = create_api_key(redis.port());

  TempDir dir;
  ChildProcess suite({node, "--test", "--test-concurrency=1", "--test-reporter=spec", kSdkDir + "/sdk_compat.test.mjs"},
                     dir.path() + "/node.log",
                     {{"TERN_URL", "http://127.0.0.1:" + std::to_string(tern.http_port())},
                      {"TERN_API_KEY", token}});
  ASSERT_TRUE(wait_until([&] { return !suite.running(); }, std::chrono::minutes(4))) << suite.log();
  EXPECT_EQ(suite.stop(), 0) << suite.log() << "\n--- tern log ---\n" << tern.log();

  // The email with attachments went through the worker's MIME builder.
  ASSERT_TRUE(wait_until([&] { return !attachment_message(peer).empty(); })) << tern.log();
  const std::string data = attachment_message(peer);
  EXPECT_NE(data.find("multipart/mixed"), std::string::npos) << data;
  EXPECT_NE(data.find("multipart/related"), std::string::npos) << data;
  EXPECT_NE(data.find("Content-Disposition: attachment; filename=\"invoice.pdf\""), std::string::npos) << data;
  EXPECT_NE(data.find("Content-ID: <logo-image>"), std::string::npos) << data;
  EXPECT_NE(data.find("Content-Type: application/pdf; name=\"invoice.pdf\""), std::string::npos) << data;
}

}  // namespace
}  // namespace tern::testing
