// ssrf_guard_test.cpp - which webhook targets are refused before any
// connection: IP literals as a table, names through a fake resolver (our
// own seam), and names served by a real dnsmasq on loopback.
#include "worker/ssrf_guard.hpp"

#include <map>

#include <gtest/gtest.h>

#include "tests/peers/dns_server.hpp"

namespace tern::worker {
namespace {

// FakeResolver - fixed answers per host; counts questions.
class FakeResolver final : public dns::Resolver {
 public:
  std::map<std::string, dns::AddressLookup> answers;
  int asked = 0;
  dns::MxLookup mx(std::string_view) override { return {}; }
  dns::TxtLookup txt(std::string_view) override { return {}; }
  dns::AddressLookup addresses(std::string_view host) override {
    ++asked;
    auto it = answers.find(std::string(host));
    if (it == answers.end()) return dns::AddressLookup{dns::LookupStatus::nxdomain, {}, "no such name"};
    return it->second;
  }
};

store::WebhookUrl url(const std::string& text) {
  auto parsed = store::parse_webhook_url(text);
  EXPECT_TRUE(parsed) << text;
  return *parsed;
}

TEST(SsrfGuard, IpLiteralsAreJudgedWithoutDns) {
  struct Case {
    const char* url;
    bool allowed;
  };
  const Case cases[] = {
      {"https://127.0.0.1/", false},          {"https://10.1.2.3/", false},
      {"https://172.16.0.1/", false},         {"https://192.168.1.1/", false},
      {"https://169.254.169.254/", false},    {"https://100.64.0.1/", false},
      {"https://0.0.0.0/", false},            {"https://[::1]/", false},
      {"https://[::]/", false},               {"https://[fc00::1]/", false},
      {"https://[fe80::1]/", false},          {"https://[::ffff:127.0.0.1]/", false},
      {"https://[::ffff:10.0.0.1]/", false},  {"https://[64:ff9b::a00:1]/", false},
      {"https://[2002:7f00:1::]/", false},    {"https://93.184.216.34/", true},
      {"https://[2606:4700::1111]/", true},   {"https://[::ffff:93.184.216.34]/", true},
  };
  FakeResolver resolver;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    auto pinned = pin_address(resolver, url(c.url), false);
    EXPECT_EQ(bool(pinned), c.allowed);
    if (!pinned) {
      EXPECT_EQ(pinned.error().code, Errc::invalid_argument);
    }
    EXPECT_TRUE(pin_address(resolver, url(c.url), true));  // allow_private: everything goes
  }
  EXPECT_EQ(resolver.asked, 0);
}

TEST(SsrfGuard, EveryResolvedAddressMustBePublic) {
  FakeResolver resolver;
  resolver.answers["public.example"] = {dns::LookupStatus::ok, {"93.184.216.34", "2606:2800:220:1::1"}, ""};
  resolver.answers["mixed.example"] = {dns::LookupStatus::ok, {"93.184.216.34", "10.0.0.7"}, ""};
  resolver.answers["mapped.example"] = {dns::LookupStatus::ok, {"::ffff:192.168.0.1"}, ""};
  resolver.answers["flaky.example"] = {dns::LookupStatus::temporary, {}, "SERVFAIL"};
  resolver.answers["empty.example"] = {dns::LookupStatus::ok, {}, ""};

  auto pub = pin_address(resolver, url("https://public.example/h"), false);
  ASSERT_TRUE(pub);
  EXPECT_EQ(*pub, "93.184.216.34");  // the checked address is the one to dial
  auto mixed = pin_address(resolver, url("https://mixed.example/h"), false);
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().message.find("10.0.0.7"), std::string::npos);
  EXPECT_FALSE(pin_address(resolver, url("https://mapped.example/h"), false));
  auto flaky = pin_address(resolver, url("https://flaky.example/h"), false);
  ASSERT_FALSE(flaky);
  EXPECT_EQ(flaky.error().code, Errc::unavailable);
  auto missing = pin_address(resolver, url("https://missing.example/h"), false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::invalid_argument);
  EXPECT_FALSE(pin_address(resolver, url("https://empty.example/h"), false));
  auto allowed = pin_address(resolver, url("https://mixed.example/h"), true);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(*allowed, "93.184.216.34");
}

class SsrfGuardDnsTest : public ::testing::Test {
 protected:
  static testing::DnsZone zone() {
    testing::DnsZone z;
    z.add_a("loop.test", "127.0.0.1")
        .add_a("private.test", "192.168.10.20")
        .add_a("mixed.test", "93.184.216.34")
        .add_aaaa("mixed.test", "::1")
        .add_a("public.test", "93.184.216.34");
    return z;
  }
  testing::DnsServer server{zone()};
  std::unique_ptr<dns::Resolver> resolver =
      dns::make_cares_resolver(dns::ResolverOptions{{server.server_spec()}, std::chrono::seconds(2), 2});
};

TEST_F(SsrfGuardDnsTest, ANameThatResolvesToAPrivateAddressIsRefused) {
  for (const char* host : {"loop.test", "private.test", "mixed.test"}) {
    SCOPED_TRACE(host);
    auto pinned = pin_address(*resolver, url(std::string("https://") + host + "/hook"), false);
    ASSERT_FALSE(pinned) << *pinned;
    EXPECT_EQ(pinned.error().code, Errc::invalid_argument) << pinned.error().message;
  }
  auto pub = pin_address(*resolver, url("https://public.test/hook"), false);
  ASSERT_TRUE(pub) << pub.error().message << "\n" << server.log();
  EXPECT_EQ(*pub, "93.184.216.34");
  auto loop = pin_address(*resolver, url("http://loop.test:8080/hook"), true);
  ASSERT_TRUE(loop) << loop.error().message;
  EXPECT_EQ(*loop, "127.0.0.1");
  EXPECT_FALSE(pin_address(*resolver, url("https://nothing.test/hook"), true));
}

}  // namespace
}  // namespace tern::worker
