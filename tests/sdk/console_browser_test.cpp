// console_browser_test.cpp - the ctest driver of the web console's browser
// test: a person sets up and verifies a domain in a real browser.
//
// Starts redis-server, dnsmasq (empty zone at first), the scriptable SMTP
// peer as relay and `tern serve`; sends one email and waits until it is
// delivered; then runs console.browser.mjs (playwright-core driving Debian's
// headless chromium). When the page has added the domain (HANDSHAKE/added),
// the driver reads the domain's records from Redis, serves them from dnsmasq
// on the same port (replace_zone), and says so (HANDSHAKE/published); the
// page then verifies and must see every record ✓ and the domain verified.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "store/redis/domain_store.hpp"
#include "tests/integration/harness.hpp"
#include "tests/integration/published_zone.hpp"
#include "tests/peers/redis_runner.hpp"
#include "tests/peers/smtp_peer.hpp"
#include "tests/sdk/node_support.hpp"

namespace tern::testing {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kDomain = "console.test";
constexpr const char* kHostname = "mail.tern.test";

bool exists(const std::string& path) { return std::ifstream(path).good(); }

TEST(ConsoleBrowser, SetUpAndVerifyADomainInARealBrowser) {
  const std::string node = find_in_path("node");
  ASSERT_FALSE(node.empty()) << "node (>= 20.19) is required on PATH";
  ASSERT_TRUE(exists(kChromium)) << "Debian's chromium is required (scripts/install-deps.sh)";
  ASSERT_TRUE(ensure_node_modules("playwright-core")) << "npm ci --prefix tests/sdk failed";

  RedisServer redis;
  DnsServer dns{DnsZone{}};
  SmtpPeer peer;
  Env env = base_env(redis.port());
  env["TERN_HOSTNAME"] = kHostname;
  env["TERN_RELAY_URL"] = "smtp://127.0.0.1:" + std::to_string(peer.port());
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  env["TERN_MASTER_KEY"] = "console-browser-test-master-key";
  env["TERN_WEBHOOK_ALLOW_PRIVATE"] = "true";
  env["TERN_LOG_LEVEL"] = "info";
  TernProcess tern("serve", env);
  const std::string token = create_api_key(redis.port());

  const std::string subject = "Console timeline check";
  auto sent = tern.post("/emails", token,
                        R"({"from":"hello@sender.test","to":"ok@example.test","subject":")" + subject +
                            R"(","text":"hi"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  ASSERT_TRUE(tern.wait_for_last_event(sent.json()["id"], token, "delivered")) << tern.log();

  TempDir handshake;
  ChildProcess browser({node, kSdkDir + "/console.browser.mjs"}, handshake.path() + "/browser.log",
                       {{"TERN_URL", "http://127.0.0.1:" + std::to_string(tern.http_port())},
                        {"TERN_API_KEY", token},
                        {"CONSOLE_DOMAIN", kDomain},
                        {"HANDSHAKE_DIR", handshake.path()},
                        {"CHROMIUM", kChromium},
                        {"EXPECT_EMAIL_SUBJECT", subject}});

  // The page added the domain: publish exactly what the console showed.
  ASSERT_TRUE(wait_until([&] { return exists(handshake.path() + "/added") || !browser.running(); },
                         std::chrono::minutes(2)))
      << browser.log();
  ASSERT_TRUE(browser.running()) << browser.log() << "\n--- tern log ---\n" << tern.log();
  store::RedisPool pool(redis.endpoint());
  auto found = store::DomainStore(pool).find_by_name("team-a", kDomain);
  ASSERT_TRUE(found && *found) << "the console did not create " << kDomain;
  dns.replace_zone(zone_for(**found, kHostname));
  std::ofstream(handshake.path() + "/published") << "ok\n";

  ASSERT_TRUE(wait_until([&] { return !browser.running(); }, std::chrono::minutes(2))) << browser.log();
  EXPECT_EQ(browser.stop(), 0) << browser.log() << "\n--- tern log ---\n" << tern.log();
  EXPECT_NE(browser.log().find("console e2e: ok"), std::string::npos) << browser.log();
}

}  // namespace
}  // namespace tern::testing
