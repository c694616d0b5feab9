// domains_cli_test.cpp - the DNS walkthrough in a terminal, on the real
// `tern` binary: `domains add` prints the records to publish, `domains
// verify` checks them against a real dnsmasq (✗ with the reason while the
// DKIM record is missing, ✓ once everything is published), `domains list`.
#include <algorithm>

#include <gtest/gtest.h>

#include "store/redis/domain_store.hpp"
#include "tests/integration/harness.hpp"
#include "tests/integration/published_zone.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::testing {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

TEST(DomainsCli, AddVerifyListWalkthrough) {
  RedisServer redis;
  Env env{{"TERN_REDIS_URL", redis.url()},
          {"TERN_HOSTNAME", "mail.tern.test"},
          {"TERN_MASTER_KEY", "domains-cli-test-master-key"},
          {"TERN_LOG_LEVEL", "warn"}};
  std::string out;
  ASSERT_EQ(run_tern({"domains", "add", "Example.TEST", "--team", "t1"}, env, out), 0) << out;
  EXPECT_NE(out.find("send.example.test  (priority 10)"), std::string::npos) << out;
  EXPECT_NE(out.find("feedback-smtp.mail.tern.test"), std::string::npos) << out;
  EXPECT_NE(out.find("v=spf1 a:mail.tern.test ~all"), std::string::npos) << out;
  EXPECT_NE(out.find("tern._domainkey.example.test"), std::string::npos) << out;
  EXPECT_NE(out.find("_dmarc.example.test"), std::string::npos) << out;
  EXPECT_NE(out.find("tern domains verify example.test"), std::string::npos) << out;
  // The 2048-bit DKIM value is longer than one TXT string: shown split.
  const auto dkim_zone = out.find("zone file: \"v=DKIM1");
  ASSERT_NE(dkim_zone, std::string::npos) << out;
  const std::string dkim_line = out.substr(dkim_zone, out.find('\n', dkim_zone) - dkim_zone);
  EXPECT_EQ(count(dkim_line, "\" \""), 1u) << dkim_line;
  EXPECT_EQ(out.find("PRIVATE"), std::string::npos);

  store::RedisPool pool(redis.endpoint());
  auto found = store::DomainStore(pool).find_by_name("t1", "example.test");
  ASSERT_TRUE(found && *found);
  const store::Domain domain = **found;

  {  // Everything but DKIM: ✗ with the reason, exit 1, pending.
    DnsServer dns(zone_for(domain, "mail.tern.test", "DKIM"));
    Env with_dns = env;
    with_dns["TERN_DNS_SERVERS"] = dns.server_spec();
    EXPECT_EQ(run_tern({"domains", "verify", "example.test", "--team", "t1"}, with_dns, out), 1) << out;
    EXPECT_EQ(count(out, "✓"), 3u) << out;  // MX, SPF, DMARC
    EXPECT_EQ(count(out, "✗"), 1u) << out;
    const auto cross = out.find("✗");
    EXPECT_NE(out.find("tern._domainkey.example.test", cross), std::string::npos) << out;
    EXPECT_NE(out.find("Domain status: pending"), std::string::npos) << out;
  }
  {  // All published: ✓ everywhere, exit 0, verified.
    DnsServer dns(zone_for(domain, "mail.tern.test"));
    Env with_dns = env;
    with_dns["TERN_DNS_SERVERS"] = dns.server_spec();
    EXPECT_EQ(run_tern({"domains", "verify", "EXAMPLE.test", "--team", "t1"}, with_dns, out), 0) << out;
    EXPECT_EQ(count(out, "✓"), 4u) << out;
    EXPECT_EQ(count(out, "✗"), 0u) << out;
    EXPECT_NE(out.find("Domain status: verified"), std::string::npos) << out;
  }

  ASSERT_EQ(run_tern({"domains", "list", "--team", "t1"}, env, out), 0) << out;
  EXPECT_NE(out.find(domain.id + "  verified     example.test"), std::string::npos) << out;
  ASSERT_EQ(run_tern({"domains", "list", "--team", "t2"}, env, out), 0) << out;
  EXPECT_EQ(out.find("example.test"), std::string::npos) << out;
}

TEST(DomainsCli, RefusalsSayWhy) {
  RedisServer redis;
  Env env{{"TERN_REDIS_URL", redis.url()},
          {"TERN_HOSTNAME", "mail.tern.test"},
          {"TERN_MASTER_KEY", "domains-cli-test-master-key"},
          {"TERN_LOG_LEVEL", "warn"}};
  std::string out;
  ASSERT_EQ(run_tern({"domains", "add", "example.test"}, env, out), 0) << out;
  EXPECT_EQ(run_tern({"domains", "add", "example.test", "--team", "t2"}, env, out), 1);
  EXPECT_NE(out.find("registered already"), std::string::npos) << out;
  EXPECT_EQ(run_tern({"domains", "add", "not_a_domain"}, env, out), 1);
  EXPECT_NE(out.find("domain name"), std::string::npos) << out;
  EXPECT_EQ(run_tern({"domains", "verify", "unknown.test"}, env, out), 1);
  EXPECT_NE(out.find("tern domains add unknown.test"), std::string::npos) << out;

  Env no_key = env;
  no_key.erase("TERN_MASTER_KEY");
  EXPECT_EQ(run_tern({"domains", "add", "other.test"}, no_key, out), 1);
  EXPECT_NE(out.find("TERN_MASTER_KEY"), std::string::npos) << out;

  EXPECT_EQ(run_tern({"domains"}, env, out), 2);
  EXPECT_EQ(run_tern({"domains", "add"}, env, out), 2);
  EXPECT_EQ(run_tern({"domains", "remove", "x.test"}, env, out), 2);
  EXPECT_EQ(run_tern({"domains", "list", "--bogus"}, env, out), 2);
}

}  // namespace
}  // namespace tern::testing
