// verify_domain_test.cpp - verify_domain against a real DNS server (dnsmasq
// on loopback, tests/peers/dns_server.hpp) through the c-ares Resolver.
// One domain per scenario under ".test": the fully correct domain (its RSA
// DKIM value over 255 bytes published as several strings), then each broken
// case on its own, and a domain whose server never answers. Nothing leaves
// the machine.
#include "dnscheck/verify_domain.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "dnscheck/domain_records.hpp"
#include "tests/dnscheck/dkim_test_keys.hpp"
#include "tests/peers/dns_server.hpp"

namespace tern::dns {
namespace {

using testing::DnsServer;
using testing::DnsZone;

constexpr const char* kFeedbackHost = "feedback-smtp.tern.test";
constexpr const char* kTernSpf = "include:_spf.tern.test";

std::vector<DnsRecordSpec> expected_records(const std::string& domain) {
  DomainRecordInput input;
  input.domain = domain;
  input.feedback_host = kFeedbackHost;
  input.spf_mechanism = kTernSpf;
  input.dkim = {{"tern", "rsa", test_keys::rsa2048_a()}, {"tern-ed", "ed25519", test_keys::ed25519().raw_base64}};
  return records_to_publish(input);
}

// Parts of a domain's publication a scenario can replace or leave out.
struct Publication {
  bool mx = true;
  bool spf = true;
  bool dkim = true;
  bool dmarc = true;
};

// publish - exactly what Tern tells the customer, TXT values split into
// 255-byte strings, minus the parts a scenario breaks itself.
void publish(DnsZone& zone, const std::string& domain, Publication parts = {}) {
  for (const DnsRecordSpec& record : expected_records(domain)) {
    const std::string name = record.name + "." + domain;
    if (record.type == "MX") {
      if (parts.mx) zone.add_mx(name, static_cast<uint16_t>(record.priority.value_or(10)), record.value);
    } else if (record.record == "SPF" ? parts.spf : parts.dkim) {
      zone.add_txt(name, split_txt(record.value));
    }
  }
  if (parts.dmarc) zone.add_txt("_dmarc." + domain, {dmarc_advice(domain).value});
}

DnsZone scenario_zone() {
  DnsZone zone;
  zone.add_txt("_spf.tern.test", {"v=spf1 ip4:127.0.0.1 -all"});
  zone.add_a(kFeedbackHost, "127.0.0.1");

  publish(zone, "good.test");
  publish(zone, "sub.good.test", {.dmarc = false});  // inherits good.test's DMARC

  publish(zone, "wrongmx.test", {.mx = false});
  zone.add_mx("send.wrongmx.test", 10, "mx.elsewhere.test");

  publish(zone, "nullmx.test", {.mx = false});
  zone.add_mx("send.nullmx.test", 0, ".");

  publish(zone, "strictspf.test", {.dmarc = false});
  zone.add_txt("_dmarc.strictspf.test", {"v=DMARC1; p=reject; aspf=s; pct=100"});

  publish(zone, "twospf.test", {.spf = false});
  zone.add_txt("send.twospf.test", {"v=spf1 include:_spf.tern.test ~all"});
  zone.add_txt("send.twospf.test", {"v=spf1 ip4:192.0.2.1 -all"});

  publish(zone, "noauth.test", {.spf = false});
  zone.add_txt("send.noauth.test", {"v=spf1 ip4:192.0.2.1 -all"});

  // Tern's include plus a chain of ten more includes: 11 lookups.
  publish(zone, "quotedspf.test", {.spf = false});
  zone.add_txt("send.quotedspf.test", {"\"v=spf1 include:_spf.tern.test ~all\""});

  publish(zone, "toomany.test", {.spf = false});
  zone.add_txt("send.toomany.test", {"v=spf1 include:_spf.tern.test include:l1.toomany.test ~all"});
  for (int i = 1; i < 10; ++i) {
    zone.add_txt("l" + std::to_string(i) + ".toomany.test",
                 {"v=spf1 include:l" + std::to_string(i + 1) + ".toomany.test ~all"});
  }
  zone.add_txt("l10.toomany.test", {"v=spf1 ip4:192.0.2.1 ~all"});

  publish(zone, "mismatch.test", {.dkim = false});
  zone.add_txt("tern._domainkey.mismatch.test", split_txt("v=DKIM1; k=rsa; p=" + test_keys::rsa2048_b()));
  zone.add_txt("tern-ed._domainkey.mismatch.test", {"v=DKIM1; k=ed25519; p=" + test_keys::ed25519().raw_base64});

  publish(zone, "brokendkim.test", {.dkim = false});
  zone.add_txt("tern._domainkey.brokendkim.test", split_txt("v=DKIM1; bogus; p=" + test_keys::rsa2048_a()));
  zone.add_txt("tern-ed._domainkey.brokendkim.test", {"v=DKIM1; k=ed25519; p=" + test_keys::ed25519().spki_base64});

  publish(zone, "revoked.test", {.dkim = false});
  zone.add_txt("tern._domainkey.revoked.test", {"v=DKIM1; k=rsa; p="});
  zone.add_txt("tern-ed._domainkey.revoked.test", {"v=DKIM1; k=ed25519; p="});

  publish(zone, "nodmarc.test", {.dmarc = false});
  zone.add_txt("_dmarc.nodmarc.test", {"not a dmarc record"});

  publish(zone, "baddmarc.test", {.dmarc = false});
  zone.add_txt("_dmarc.baddmarc.test", {"v=DMARC1; p=block; rua=mailto:d@baddmarc.test"});

  publish(zone, "twodmarc.test", {.dmarc = false});
  zone.add_txt("_dmarc.twodmarc.test", {"v=DMARC1; p=none"});
  zone.add_txt("_dmarc.twodmarc.test", {"v=DMARC1; p=reject"});

  zone.add_unresponsive("slow.test");
  return zone;
}

class VerifyDomainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new DnsServer(scenario_zone()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static DomainCheck verify(const std::string& domain, std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    ResolverOptions options;
    options.servers = {server_->server_spec()};
    options.timeout = timeout;
    options.tries = 1;
    std::unique_ptr<Resolver> resolver = make_cares_resolver(options);
    return verify_domain(*resolver, domain, expected_records(domain), VerifyPolicy{kTernSpf});
  }

  // expect_only_failure - record `index` failed with `reason` in its
  // problem; every other record verified.
  static void expect_only_failure(const DomainCheck& check, std::size_t index, const std::string& reason) {
    ASSERT_EQ(check.records.size(), 4u);
    for (std::size_t i = 0; i < check.records.size(); ++i) {
      const RecordCheck& record = check.records[i];
      if (i == index) {
        EXPECT_EQ(record.status, RecordStatus::failed) << record.expected.name << " " << record.expected.type;
        EXPECT_NE(record.problem.find(reason), std::string::npos) << record.problem;
      } else {
        EXPECT_EQ(record.status, RecordStatus::verified)
            << record.expected.name << " " << record.expected.type << ": " << record.problem << "\n"
            << server_->log();
      }
    }
    EXPECT_FALSE(check.all_verified());
    EXPECT_FALSE(check.any_temporary());
  }

  static DnsServer* server_;
};

DnsServer* VerifyDomainTest::server_ = nullptr;

constexpr std::size_t kMx = 0, kSpf = 1, kDkimRsa = 2, kDkimEd = 3;

TEST_F(VerifyDomainTest, CorrectDomainVerifies) {
  ASSERT_GT(expected_records("good.test")[kDkimRsa].value.size(), 255u);  // published as several strings
  const DomainCheck check = verify("good.test");
  ASSERT_EQ(check.records.size(), 4u);
  for (const RecordCheck& record : check.records) {
    EXPECT_EQ(record.status, RecordStatus::verified)
        << record.expected.name << " " << record.expected.type << ": " << record.problem << "\n"
        << server_->log();
    EXPECT_TRUE(record.problem.empty());
    EXPECT_TRUE(record.warnings.empty()) << record.warnings.front();
  }
  EXPECT_EQ(check.records[kMx].found, "10 feedback-smtp.tern.test");
  EXPECT_EQ(check.records[kDkimRsa].found, expected_records("good.test")[kDkimRsa].value);  // strings joined
  EXPECT_EQ(check.dmarc.status, RecordStatus::verified) << check.dmarc.problem;
  EXPECT_EQ(check.dmarc.found, dmarc_advice("good.test").value);
  EXPECT_TRUE(check.all_verified());
  EXPECT_FALSE(check.any_temporary());
  EXPECT_EQ(to_string(check.records[0].status), std::string("verified"));
}

TEST_F(VerifyDomainTest, SubdomainInheritsParentDmarc) {
  const DomainCheck check = verify("sub.good.test");
  EXPECT_TRUE(check.all_verified());
  EXPECT_EQ(check.dmarc.status, RecordStatus::verified) << check.dmarc.problem;
  ASSERT_FALSE(check.dmarc.warnings.empty());
  EXPECT_NE(check.dmarc.warnings[0].find("_dmarc.good.test applies"), std::string::npos) << check.dmarc.warnings[0];
}

TEST_F(VerifyDomainTest, MissingRecords) {
  const DomainCheck check = verify("missing.test");
  ASSERT_EQ(check.records.size(), 4u);
  for (const RecordCheck& record : check.records) {
    EXPECT_EQ(record.status, RecordStatus::failed) << record.expected.name;
    EXPECT_EQ(record.problem.rfind("missing: ", 0), 0u) << record.problem;
    EXPECT_NE(record.problem.find(record.expected.value), std::string::npos) << "says what to publish: "
                                                                               << record.problem;
    EXPECT_TRUE(record.found.empty());
  }
  EXPECT_NE(check.records[kMx].problem.find("send.missing.test"), std::string::npos);
  EXPECT_EQ(check.dmarc.status, RecordStatus::failed);
  EXPECT_NE(check.dmarc.problem.find("no DMARC record"), std::string::npos) << check.dmarc.problem;
  EXPECT_FALSE(check.all_verified());
  EXPECT_FALSE(check.any_temporary());
}

TEST_F(VerifyDomainTest, WrongMx) {
  const DomainCheck check = verify("wrongmx.test");
  expect_only_failure(check, kMx, "wrong MX at send.wrongmx.test: expected feedback-smtp.tern.test, found 10 mx.elsewhere.test");
  EXPECT_EQ(check.records[kMx].found, "10 mx.elsewhere.test");
}

TEST_F(VerifyDomainTest, NullMxOnTheReturnPath) {
  const DomainCheck check = verify("nullmx.test");
  expect_only_failure(check, kMx, "null MX");
  EXPECT_NE(check.records[kMx].problem.find("5.7.27"), std::string::npos);
}

TEST_F(VerifyDomainTest, TwoSpfRecords) {
  const DomainCheck check = verify("twospf.test");
  expect_only_failure(check, kSpf, "2 SPF records at send.twospf.test");
  EXPECT_NE(check.records[kSpf].problem.find("merge"), std::string::npos);
}

TEST_F(VerifyDomainTest, SpfNotAuthorisingTern) {
  const DomainCheck check = verify("noauth.test");
  expect_only_failure(check, kSpf, "does not authorise Tern");
  const std::string& problem = check.records[kSpf].problem;
  EXPECT_NE(problem.find("v=spf1 ip4:192.0.2.1 include:_spf.tern.test -all"), std::string::npos) << problem;
  EXPECT_EQ(check.records[kSpf].found, "v=spf1 ip4:192.0.2.1 -all");
}

TEST_F(VerifyDomainTest, SpfPastedWithItsQuotes) {
  const DomainCheck check = verify("quotedspf.test");
  expect_only_failure(check, kSpf, "quote marks");
  EXPECT_EQ(check.records[kSpf].found, "\"v=spf1 include:_spf.tern.test ~all\"");
}

TEST_F(VerifyDomainTest, SpfOverTenLookupsThroughIncludes) {
  const DomainCheck check = verify("toomany.test");
  expect_only_failure(check, kSpf, "needs 11 DNS lookups, the limit is 10");
}

TEST_F(VerifyDomainTest, DkimKeyMismatch) {
  const DomainCheck check = verify("mismatch.test");
  expect_only_failure(check, kDkimRsa, "the published key does not match ours");
  EXPECT_NE(check.records[kDkimRsa].problem.find(test_keys::rsa2048_a()), std::string::npos)
      << "tells what to publish";
}

TEST_F(VerifyDomainTest, BrokenDkimSyntax) {
  const DomainCheck check = verify("brokendkim.test");
  ASSERT_EQ(check.records.size(), 4u);
  EXPECT_EQ(check.records[kDkimRsa].status, RecordStatus::failed);
  EXPECT_NE(check.records[kDkimRsa].problem.find("is broken: \"bogus\""), std::string::npos)
      << check.records[kDkimRsa].problem;
  EXPECT_EQ(check.records[kDkimEd].status, RecordStatus::failed);
  EXPECT_NE(check.records[kDkimEd].problem.find("SubjectPublicKeyInfo"), std::string::npos)
      << check.records[kDkimEd].problem;
  EXPECT_EQ(check.records[kMx].status, RecordStatus::verified);
  EXPECT_EQ(check.records[kSpf].status, RecordStatus::verified);
}

TEST_F(VerifyDomainTest, RevokedKey) {
  const DomainCheck check = verify("revoked.test");
  for (std::size_t i : {kDkimRsa, kDkimEd}) {
    EXPECT_EQ(check.records[i].status, RecordStatus::failed);
    EXPECT_NE(check.records[i].problem.find("revoked"), std::string::npos) << check.records[i].problem;
  }
  EXPECT_FALSE(check.all_verified());
}

TEST_F(VerifyDomainTest, DmarcMissingIsAdviceOnly) {
  const DomainCheck check = verify("nodmarc.test");
  EXPECT_TRUE(check.all_verified());  // DMARC never holds the domain up
  EXPECT_EQ(check.dmarc.status, RecordStatus::failed);
  EXPECT_NE(check.dmarc.problem.find("no DMARC record at _dmarc.nodmarc.test; publish TXT _dmarc.nodmarc.test "
                                     "\"v=DMARC1; p=none;"),
            std::string::npos)
      << check.dmarc.problem;
}

TEST_F(VerifyDomainTest, DmarcBadSyntax) {
  const DomainCheck check = verify("baddmarc.test");
  EXPECT_TRUE(check.all_verified());
  EXPECT_EQ(check.dmarc.status, RecordStatus::failed);
  EXPECT_NE(check.dmarc.problem.find("p=block is not a policy"), std::string::npos) << check.dmarc.problem;
  EXPECT_EQ(check.dmarc.found, "v=DMARC1; p=block; rua=mailto:d@baddmarc.test");
}

TEST_F(VerifyDomainTest, StrictSpfAlignmentIsAWarning) {
  const DomainCheck check = verify("strictspf.test");
  EXPECT_TRUE(check.all_verified());
  EXPECT_EQ(check.dmarc.status, RecordStatus::verified) << check.dmarc.problem;
  std::string warnings;
  for (const std::string& w : check.dmarc.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("pct= was removed"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("aspf=s: Tern's return path send.strictspf.test"), std::string::npos) << warnings;
}

TEST_F(VerifyDomainTest, TwoDmarcRecordsMeanNoPolicy) {
  const DomainCheck check = verify("twodmarc.test");
  EXPECT_EQ(check.dmarc.status, RecordStatus::failed);
  EXPECT_NE(check.dmarc.problem.find("2 DMARC records"), std::string::npos) << check.dmarc.problem;
}

TEST_F(VerifyDomainTest, DnsTimeoutIsTemporaryFailure) {
  const DomainCheck check = verify("slow.test", std::chrono::milliseconds(300));
  ASSERT_EQ(check.records.size(), 4u);
  for (const RecordCheck& record : check.records) {
    EXPECT_EQ(record.status, RecordStatus::temporary_failure) << record.expected.name << ": " << record.problem;
    EXPECT_FALSE(record.problem.empty());
  }
  EXPECT_EQ(check.dmarc.status, RecordStatus::temporary_failure) << check.dmarc.problem;
  EXPECT_TRUE(check.any_temporary());
  EXPECT_FALSE(check.all_verified());
  EXPECT_EQ(to_string(RecordStatus::temporary_failure), std::string("temporary_failure"));
}

}  // namespace
}  // namespace tern::dns
