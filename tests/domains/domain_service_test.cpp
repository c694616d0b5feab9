// domain_service_test.cpp - create (keys, sealing, records) and verify
// against a real redis-server and a real dnsmasq.
#include "domains/domain_service.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "dnscheck/domain_records.hpp"
#include "mailer/dkim/signing_key.hpp"
#include "store/util/secret_box.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::domains {
namespace {

using namespace std::chrono_literals;

constexpr const char* kMaster = "domain-service-test-master-key";

DomainSettings test_settings() {
  DomainSettings s = settings_for_host("mail.tern.test", kMaster);
  s.spf_mechanism = "ip4:192.0.2.10";
  return s;
}

class DomainServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
  }

  CreateDomainRequest request(const std::string& name) {
    CreateDomainRequest r;
    r.name = name;
    return r;
  }

  static inline std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  const TimePoint t0_ = from_unix_ms(1'790'000'000'000);
};

TEST_F(DomainServiceTest, SettingsForHostDeriveFromTheHostname) {
  DomainSettings s = settings_for_host("mx.example.net", "k");
  EXPECT_EQ(s.spf_mechanism, "a:mx.example.net");
  EXPECT_EQ(s.feedback_host, "feedback-smtp.mx.example.net");
  EXPECT_EQ(s.dkim_selector, "tern");
}

TEST_F(DomainServiceTest, ConfiguredRecordSettingsReachTheRecordsToPublish) {
  Config config;
  config.delivery.hostname = "mx.example.net";
  config.master_key = kMaster;
  config.dkim_selector = "mail2026";
  config.spf_mechanism = "ip4:203.0.113.7";
  config.feedback_host = "bounces.example.net";
  DomainService service(*pool_, nullptr, settings_from_config(config));
  auto d = service.create("team-a", request("configured.test"), t0_);
  ASSERT_TRUE(d) << d.error().message;
  std::string all;
  for (const auto& r : d->records) all += r.type + " " + r.name + " " + r.value + "\n";
  EXPECT_NE(all.find("MX send bounces.example.net"), std::string::npos) << all;
  EXPECT_NE(all.find("TXT send v=spf1 ip4:203.0.113.7 ~all"), std::string::npos) << all;
  EXPECT_NE(all.find("TXT mail2026._domainkey "), std::string::npos) << all;
  EXPECT_EQ(d->dkim_keys.at(0).selector, "mail2026");
  Config defaults;
  defaults.delivery.hostname = "mx.example.net";
  EXPECT_EQ(settings_from_config(defaults).spf_mechanism, "a:mx.example.net") << "unset means derived from the host";
}

TEST_F(DomainServiceTest, CreateSealsAKeyThatOpensOnlyForThisDomain) {
  DomainService service(*pool_, nullptr, test_settings());
  auto d = service.create("team-a", request("Example.Test"), t0_);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->name, "example.test");
  EXPECT_EQ(d->status, "not_started");
  EXPECT_FALSE(d->next_check_at);
  ASSERT_EQ(d->dkim_keys.size(), 1u);
  const auto& key = d->dkim_keys[0];
  EXPECT_EQ(key.selector, "tern");
  EXPECT_EQ(key.key_type, "rsa");
  EXPECT_EQ(key.sealed_private_key.find("PRIVATE"), std::string::npos);

  SecretBox box(kMaster);
  auto pem = box.open(key.sealed_private_key, d->id);
  ASSERT_TRUE(pem) << pem.error().message;
  auto signing = dkim::SigningKey::from_private_pem(*pem);
  ASSERT_TRUE(signing) << signing.error().message;
  EXPECT_EQ(signing->bits(), 2048);
  EXPECT_EQ(signing->public_key_base64(), key.public_key);
  EXPECT_FALSE(box.open(key.sealed_private_key, "another-domain-id"));
  EXPECT_FALSE(SecretBox("another master key").open(key.sealed_private_key, d->id));

  ASSERT_EQ(d->records.size(), 3u);
  EXPECT_EQ(d->records[2].value, "v=DKIM1; k=rsa; p=" + key.public_key);
  EXPECT_EQ(d->dmarc.name, "_dmarc");

  auto stored = store::DomainStore(*pool_).get("team-a", d->id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->dkim_keys[0].sealed_private_key, key.sealed_private_key);
}

TEST_F(DomainServiceTest, CreateRefusesBadInputAndMissingMasterKey) {
  DomainService service(*pool_, nullptr, test_settings());
  auto bad = service.create("team-a", request("not a domain"), t0_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  CreateDomainRequest r = request("ok.test");
  r.custom_return_path = "-x";
  EXPECT_EQ(service.create("team-a", r, t0_).error().code, Errc::invalid_argument);

  DomainSettings no_key = test_settings();
  no_key.master_key.clear();
  auto refused = DomainService(*pool_, nullptr, no_key).create("team-a", request("ok.test"), t0_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::internal);
  EXPECT_NE(refused.error().message.find("TERN_MASTER_KEY"), std::string::npos);
  // Nothing half-made: the name is still free.
  EXPECT_TRUE(service.create("team-b", request("ok.test"), t0_));
  EXPECT_EQ(service.create("team-a", request("OK.test"), t0_).error().code, Errc::conflict);
}

TEST_F(DomainServiceTest, VerifyChecksOverDnsAndSchedulesTheNextCheck) {
  DomainService creator(*pool_, nullptr, test_settings());
  auto d = creator.create("team-a", request("example.test"), t0_);
  ASSERT_TRUE(d);
  EXPECT_EQ(creator.verify("team-a", d->id, t0_).error().code, Errc::unavailable);  // no resolver

  testing::DnsZone zone;  // everything but the SPF TXT record
  zone.add_mx("send.example.test", 10, "feedback-smtp.mail.tern.test");
  zone.add_txt("tern._domainkey.example.test", dns::split_txt(d->records[2].value));
  testing::DnsServer server(zone);
  auto resolver = dns::make_cares_resolver(dns::ResolverOptions{{server.server_spec()}, std::chrono::seconds(2), 2});
  DomainService service(*pool_, resolver.get(), test_settings());

  EXPECT_EQ(service.verify("team-b", d->id, t0_).error().code, Errc::not_found);
  auto checked = service.verify("team-a", d->id, t0_ + 1s);
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->status, "pending");
  EXPECT_EQ(checked->verification_started_at, t0_ + 1s);
  EXPECT_EQ(checked->records[0].status, "verified");
  EXPECT_EQ(checked->records[1].status, "failed");
  EXPECT_NE(checked->records[1].problem.find("missing"), std::string::npos) << checked->records[1].problem;
  EXPECT_EQ(checked->records[2].status, "verified") << checked->records[2].problem;
  EXPECT_EQ(checked->next_check_at, t0_ + 1s + 1min);

  // The background re-check keeps the window; after 72 hours it fails.
  auto later = service.recheck("team-a", d->id, t0_ + 1s + 72h);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, "failed");
  EXPECT_FALSE(later->next_check_at);
  // A customer's verify opens a new window.
  auto again = service.verify("team-a", d->id, t0_ + 100h);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, "pending");
  EXPECT_EQ(again->verification_started_at, t0_ + 100h);
}

}  // namespace
}  // namespace tern::domains
