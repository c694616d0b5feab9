// domain_rechecker_test.cpp - the background re-check against a real
// redis-server and dnsmasq: due domains are checked, move to verified once
// their records appear, back off while they do not, fail after 72 hours.
#include "worker/domain_rechecker.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "dnscheck/domain_records.hpp"
#include "store/redis/domain_store.hpp"
#include "store/redis/keys.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::worker {
namespace {

using namespace std::chrono_literals;

domains::DomainSettings test_settings() {
  domains::DomainSettings s = domains::settings_for_host("mail.tern.test", "rechecker-test-master-key");
  s.spf_mechanism = "ip4:192.0.2.10";
  return s;
}

class DomainRecheckerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
  }

  // create_and_verify - a domain whose first (manual) check ran at t0_
  // against `zone`; returns it.
  store::Domain create_and_verify(const std::string& name, dns::Resolver& resolver) {
    domains::DomainService service(*pool_, &resolver, test_settings());
    domains::CreateDomainRequest request;
    request.name = name;
    auto d = service.create("team-a", request, t0_);
    EXPECT_TRUE(d);
    auto checked = service.verify("team-a", d->id, t0_);
    EXPECT_TRUE(checked);
    return *checked;
  }

  std::string status(const std::string& id) {
    auto d = store::DomainStore(*pool_).get("team-a", id);
    return d && *d ? (*d)->status : "gone";
  }

  static inline std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  const TimePoint t0_ = from_unix_ms(1'790'000'000'000);
};

TEST_F(DomainRecheckerTest, NothingDueNothingChecked) {
  testing::DnsServer server{testing::DnsZone()};
  auto resolver = dns::make_cares_resolver(dns::ResolverOptions{{server.server_spec()}, std::chrono::seconds(2), 2});
  DomainRechecker rechecker(*pool_, *resolver, test_settings());
  RecheckStats stats = rechecker.tick(t0_);
  EXPECT_EQ(stats.checked, 0);
  EXPECT_EQ(stats.errors, 0);
}

TEST_F(DomainRecheckerTest, BacksOffThenFailsAfterTheWindow) {
  testing::DnsServer empty{testing::DnsZone()};
  auto resolver = dns::make_cares_resolver(dns::ResolverOptions{{empty.server_spec()}, std::chrono::seconds(2), 2});
  store::Domain d = create_and_verify("missing.test", *resolver);
  ASSERT_EQ(d.status, "pending");
  ASSERT_EQ(d.next_check_at, t0_ + 1min);

  DomainRechecker rechecker(*pool_, *resolver, test_settings());
  EXPECT_EQ(rechecker.tick(t0_ + 30s).checked, 0);  // not due yet
  EXPECT_EQ(rechecker.tick(t0_ + 1min).checked, 1);
  auto after_one = store::DomainStore(*pool_).get("team-a", d.id);
  ASSERT_TRUE(after_one && *after_one);
  EXPECT_EQ((*after_one)->next_check_at, t0_ + 1min + 5min);
  EXPECT_EQ((*after_one)->status, "pending");
  EXPECT_EQ((*after_one)->verification_started_at, t0_);  // the window is not restarted

  // Jump to the end of the window: one last check, then failed for good.
  EXPECT_EQ(rechecker.tick(t0_ + 72h).checked, 1);
  EXPECT_EQ(status(d.id), "failed");
  auto scheduled = store::run(*pool_, {"ZCARD", std::string(store::keys::kDomainRecheckSet)});
  ASSERT_TRUE(scheduled);
  EXPECT_EQ(scheduled->integer, 0);
  EXPECT_EQ(rechecker.tick(t0_ + 100h).checked, 0);
}

TEST_F(DomainRecheckerTest, RecordsPublishedLaterVerifyOnTheNextTick) {
  testing::DnsServer empty{testing::DnsZone()};
  auto empty_resolver =
      dns::make_cares_resolver(dns::ResolverOptions{{empty.server_spec()}, std::chrono::seconds(2), 2});
  store::Domain d = create_and_verify("late.test", *empty_resolver);
  ASSERT_EQ(d.status, "pending");

  testing::DnsZone zone;
  for (const auto& r : d.records) {
    const std::string fqdn = r.name + ".late.test";
    if (r.type == "MX") zone.add_mx(fqdn, static_cast<uint16_t>(*r.priority), r.value);
    else zone.add_txt(fqdn, dns::split_txt(r.value));
  }
  testing::DnsServer published(zone);
  auto resolver = dns::make_cares_resolver(dns::ResolverOptions{{published.server_spec()}, std::chrono::seconds(2), 2});
  DomainRechecker rechecker(*pool_, *resolver, test_settings());
  RecheckStats stats = rechecker.tick(t0_ + 2min);
  EXPECT_EQ(stats.checked, 1);
  EXPECT_EQ(stats.verified, 1);
  EXPECT_EQ(status(d.id), "verified");
  EXPECT_EQ(rechecker.tick(t0_ + 10h).checked, 0);  // verified domains leave the schedule
}

TEST_F(DomainRecheckerTest, ADeletedDomainIsSkipped) {
  testing::DnsServer empty{testing::DnsZone()};
  auto resolver = dns::make_cares_resolver(dns::ResolverOptions{{empty.server_spec()}, std::chrono::seconds(2), 2});
  store::Domain d = create_and_verify("gone.test", *resolver);
  ASSERT_TRUE(store::DomainStore(*pool_).remove("team-a", d.id));
  DomainRechecker rechecker(*pool_, *resolver, test_settings());
  RecheckStats stats = rechecker.tick(t0_ + 1h);
  EXPECT_EQ(stats.checked, 0);
  EXPECT_EQ(stats.errors, 0);
}

}  // namespace
}  // namespace tern::worker
