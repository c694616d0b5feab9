// spf_test.cpp - the SPF parser (tables of valid and invalid records, many
// from the OpenSPF RFC 7208 suite) and check_spf over a table-driven fake
// Resolver: lookup counting (10 passes, 11 fails), void lookups, loops,
// redirect, several records, temperror, and whether Tern is authorised.
#include "dnscheck/spf.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>


namespace tern::dns {
namespace {

// FakeResolver - answers from tables; names not listed are NXDOMAIN.
class FakeResolver : public Resolver {
 public:
  std::map<std::string, std::vector<std::string>> txt_records;
  std::map<std::string, std::vector<MxRecord>> mx_records;
  std::set<std::string> hosts;         // names with an address
  std::set<std::string> slow;          // names that time out
  std::set<std::string> exists_empty;  // names that exist without records (NODATA)
  int queries = 0;

  FakeResolver& txt_at(const std::string& name, std::string value) {
    txt_records[name].push_back(std::move(value));
    return *this;
  }

  MxLookup mx(std::string_view domain) override {
    MxLookup out;
    out.status = status_of(domain, mx_records.count(std::string(domain)) > 0);
    if (out.status == LookupStatus::ok) out.records = mx_records[std::string(domain)];
    return out;
  }
  AddressLookup addresses(std::string_view host) override {
    AddressLookup out;
    out.status = status_of(host, hosts.count(std::string(host)) > 0);
    if (out.status == LookupStatus::ok) out.addresses = {"127.0.0.1"};
    return out;
  }
  TxtLookup txt(std::string_view name) override {
    TxtLookup out;
    out.status = status_of(name, txt_records.count(std::string(name)) > 0);
    if (out.status == LookupStatus::ok) out.records = txt_records[std::string(name)];
    return out;
  }

 private:
  LookupStatus status_of(std::string_view name, bool found) {
    ++queries;
    const std::string key(name);
    if (slow.count(key)) return LookupStatus::temporary;
    if (found) return LookupStatus::ok;
    if (exists_empty.count(key) || txt_records.count(key) || hosts.count(key) || mx_records.count(key)) {
      return LookupStatus::nodata;
    }
    return LookupStatus::nxdomain;
  }
};

TEST(SpfParse, ValidRecords) {
  const char* valid[] = {
      "v=spf1",
      "v=spf1 -all",
      "V=SPF1 IP4:192.0.2.1 -ALL",
      "v=spf1 +a -mx ~ptr ?all",
      "v=spf1 a:mail.example.com/24 mx:example.com//64 a/24//64 mx/0",
      "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:::1 -all",
      "v=spf1 include:_spf.example.com  include:spf.example.net. ~all ",
      "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
      "v=spf1 redirect=_spf.example.com",
      "v=spf1 exp=explain.%{d} -all",
      "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",  // unknown modifier: ignored
      "v=spf1 include:%{d}.example.com ~all",
      "v=spf1 a:foo-bar.com -all",
      "v=spf1 exists:%%%_%-.%{d}",
  };
  for (const char* text : valid) {
    auto record = parse_spf(text);
    EXPECT_TRUE(record) << text << ": " << (record ? "" : record.error().message);
  }
}

TEST(SpfParse, Terms) {
  auto record = parse_spf("v=spf1 -include:a.example ~mx:b.example/24//64 ip4:10.0.0.0/8 redirect=c.example x=y");
  ASSERT_TRUE(record) << record.error().message;
  ASSERT_EQ(record->mechanisms.size(), 3u);
  EXPECT_EQ(record->mechanisms[0].qualifier, SpfQualifier::fail);
  EXPECT_EQ(record->mechanisms[0].kind, SpfMechanismKind::include);
  EXPECT_EQ(record->mechanisms[0].target, "a.example");
  EXPECT_EQ(record->mechanisms[0].text, "include:a.example");
  EXPECT_EQ(record->mechanisms[1].qualifier, SpfQualifier::softfail);
  EXPECT_EQ(record->mechanisms[1].target, "b.example");
  EXPECT_EQ(record->mechanisms[1].cidr, "/24//64");
  EXPECT_EQ(record->mechanisms[2].target, "10.0.0.0");
  EXPECT_EQ(record->mechanisms[2].cidr, "/8");
  EXPECT_FALSE(record->mechanisms[2].counts_lookup());
  EXPECT_EQ(record->redirect, "c.example");
  ASSERT_EQ(record->other_modifiers.size(), 1u);
  EXPECT_EQ(record->other_modifiers[0].first, "x");
}

TEST(SpfParse, InvalidRecordsArePermerrorsWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"v=spf1 ip4:1.2.3.4 -all moo", "moo"},
      {"v=spf1 foo:bar -all", "unknown mechanism"},
      {"v=spf1 include -all", "needs"},
      {"v=spf1 exists -all", "needs"},
      {"v=spf1 all:foo", "no argument"},
      {"v=spf1 ip4:1.2.3 -all", "not an IPv4"},
      {"v=spf1 ip4:1.2.3.4/33", "prefix"},
      {"v=spf1 ip4:01.2.3.4", "not an IPv4"},
      {"v=spf1 ip6:2001:db8::/129", "prefix"},
      {"v=spf1 ip6:1.2.3.4", "not an IPv6"},
      {"v=spf1 a/33", "out of range"},
      {"v=spf1 mx//129", "out of range"},
      {"v=spf1 include:localhost", "two labels"},
      {"v=spf1 include:foo.-bar", "top label"},
      {"v=spf1 include:foo.123", "top label"},
      {"v=spf1 a:foo..example.com", "empty label"},
      {"v=spf1 exists:%{x}.example.com", "unknown letter"},
      {"v=spf1 exists:%{d.example.com", "macro"},
      {"v=spf1 exists:100%.example.com", "'%'"},
      {"v=spf1 redirect=a.example redirect=b.example", "twice"},
      {"v=spf1 exp=a.example exp=b.example", "twice"},
      {"v=spf1 -redirect=a.example", "neither"},
      {"v=spf1 =foo", "neither"},
      {"v=spf1 ip4:1.2.3.4\t-all", "control"},
      {"v=spf1 a:caf\xc3\xa9.example", "control or non-ASCII"},
      {"v=spf10 -all", "v=spf1"},
      {"spf1 -all", "v=spf1"},
  };
  for (const Case& c : cases) {
    auto record = parse_spf(c.text);
    ASSERT_FALSE(record) << c.text;
    EXPECT_NE(record.error().message.find(c.reason), std::string::npos) << c.text << " -> " << record.error().message;
  }
}

TEST(SpfParse, RecordSelection) {
  EXPECT_TRUE(is_spf_record("v=spf1"));
  EXPECT_TRUE(is_spf_record("V=Spf1 -all"));
  EXPECT_FALSE(is_spf_record("v=spf10 -all"));
  EXPECT_FALSE(is_spf_record("v=spf1-all"));
  EXPECT_FALSE(is_spf_record("\"v=spf1 -all\""));
  EXPECT_EQ(spf_records({"google-site-verification=x", "v=spf1 -all", "v=spf10"}),
            std::vector<std::string>{"v=spf1 -all"});
}

TEST(SpfParse, MechanismMatchingAndSuggestion) {
  auto record = parse_spf("v=spf1 +Include:_SPF.Tern.Test. -include:other.test");
  ASSERT_TRUE(record);
  EXPECT_TRUE(spf_mechanism_matches(record->mechanisms[0], "include:_spf.tern.test"));
  EXPECT_TRUE(spf_mechanism_matches(record->mechanisms[0], "+include:_spf.tern.test"));
  EXPECT_FALSE(spf_mechanism_matches(record->mechanisms[1], "include:other.test"));  // "-" does not authorise
  EXPECT_EQ(spf_with_mechanism("v=spf1 ip4:1.2.3.4 -all", "include:t.test"), "v=spf1 ip4:1.2.3.4 include:t.test -all");
  EXPECT_EQ(spf_with_mechanism("v=spf1 a redirect=x.test", "include:t.test"), "v=spf1 a include:t.test redirect=x.test");
  EXPECT_EQ(spf_with_mechanism("v=spf1 a", "include:t.test"), "v=spf1 a include:t.test");
  EXPECT_EQ(spf_with_mechanism("", "include:t.test"), "v=spf1 include:t.test ~all");
}

constexpr const char* kTern = "include:_spf.tern.test";

FakeResolver with_tern() {
  FakeResolver dns;
  dns.txt_at("_spf.tern.test", "v=spf1 ip4:127.0.0.1 -all");
  return dns;
}

// chain - name0 includes name1 ... each holding one include; the last
// includes Tern. lookups = depth + 1 (Tern's include).
void add_chain(FakeResolver& dns, const std::string& top, int depth) {
  std::string current = top;
  for (int i = 1; i <= depth; ++i) {
    const std::string next = "hop" + std::to_string(i) + ".chain.test";
    dns.txt_at(current, "v=spf1 include:" + next + " ~all");
    current = next;
  }
  dns.txt_at(current, std::string("v=spf1 ") + kTern + " ~all");
}

TEST(SpfCheck, DirectMechanismAuthorises) {
  FakeResolver dns = with_tern();
  dns.txt_at("send.a.test", "v=spf1 include:_spf.tern.test ~all").txt_at("send.a.test", "unrelated=1");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::ok) << check.problem;
  EXPECT_TRUE(check.authorises);
  EXPECT_EQ(check.lookups, 1);
  EXPECT_EQ(check.records, std::vector<std::string>{"v=spf1 include:_spf.tern.test ~all"});
  EXPECT_TRUE(check.warnings.empty());
}

TEST(SpfCheck, ExactlyTenLookupsPass) {
  FakeResolver dns = with_tern();
  add_chain(dns, "send.a.test", 9);
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::ok) << check.problem;
  EXPECT_EQ(check.lookups, 10);
  EXPECT_TRUE(check.authorises);
}

TEST(SpfCheck, ElevenLookupsArePermerror) {
  FakeResolver dns = with_tern();
  add_chain(dns, "send.a.test", 10);
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_EQ(check.lookups, 11);
  EXPECT_FALSE(check.authorises);
  EXPECT_NE(check.problem.find("needs 11 DNS lookups, the limit is 10"), std::string::npos) << check.problem;
}

TEST(SpfCheck, CountsEveryLookupTermKindAndKeepsCountingPastTheLimit) {
  FakeResolver dns = with_tern();
  dns.hosts = {"h.a.test", "send.a.test"};
  dns.mx_records["send.a.test"] = {{10, "h.a.test"}};
  // a, mx, ptr, exists, include x3, a, mx, redirect = 10 with the redirect;
  // ip4/ip6/exp/all never count.
  dns.txt_at("send.a.test",
             "v=spf1 ip4:1.2.3.4 a mx ptr exists:h.a.test include:_spf.tern.test include:i1.a.test "
             "include:i2.a.test a:h.a.test mx ip6:::1 exp=e.a.test redirect=r.a.test");
  dns.txt_at("i1.a.test", "v=spf1 -all").txt_at("i2.a.test", "v=spf1 -all").txt_at("r.a.test", "v=spf1 -all");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::ok) << check.problem;
  EXPECT_EQ(check.lookups, 10);
  EXPECT_TRUE(check.authorises);
  EXPECT_FALSE(check.warnings.empty());  // ptr is discouraged

  dns.txt_records["r.a.test"] = {"v=spf1 a:h.a.test a:h.a.test a:h.a.test -all"};
  check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_EQ(check.lookups, 13);
  EXPECT_NE(check.problem.find("needs 13 DNS lookups"), std::string::npos) << check.problem;
}

TEST(SpfCheck, TermsAfterAllAndRedirectWithAllAreNotCounted) {
  FakeResolver dns = with_tern();
  dns.txt_at("send.a.test", "v=spf1 include:_spf.tern.test -all include:x.a.test redirect=y.a.test");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::ok) << check.problem;
  EXPECT_EQ(check.lookups, 1);
  EXPECT_FALSE(check.warnings.empty());
}

TEST(SpfCheck, IncludeLoopIsGuarded) {
  FakeResolver dns = with_tern();
  dns.txt_at("send.a.test", "v=spf1 include:loop1.a.test ~all");
  dns.txt_at("loop1.a.test", "v=spf1 include:loop2.a.test ~all");
  dns.txt_at("loop2.a.test", "v=spf1 include:LOOP1.a.test ~all");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_NE(check.problem.find("loop"), std::string::npos) << check.problem;
  EXPECT_LT(dns.queries, 10);

  FakeResolver self = with_tern();
  self.txt_at("send.a.test", "v=spf1 redirect=send.a.test");
  check = check_spf(self, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_NE(check.problem.find("loop"), std::string::npos) << check.problem;
}

TEST(SpfCheck, WideIncludeTreeStopsCounting) {
  // Every record includes two others that include each other's siblings:
  // no loop on any one path, but far over the limit. The walk must end.
  FakeResolver dns = with_tern();
  for (int i = 0; i < 30; ++i) {
    dns.txt_at("n" + std::to_string(i) + ".w.test", "v=spf1 include:n" + std::to_string((i + 1) % 30) +
                                                         ".w.test include:n" + std::to_string((i + 2) % 30) +
                                                         ".w.test ~all");
  }
  SpfCheck check = check_spf(dns, "n0.w.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_GT(check.lookups, 10);
  EXPECT_LT(dns.queries, 100);
}

TEST(SpfCheck, AuthorisationThroughIncludeChainAndRedirect) {
  FakeResolver dns = with_tern();
  add_chain(dns, "send.a.test", 3);
  EXPECT_TRUE(check_spf(dns, "send.a.test", kTern).authorises);

  FakeResolver redirect = with_tern();
  redirect.txt_at("send.b.test", "v=spf1 redirect=_spf.b.test");
  redirect.txt_at("_spf.b.test", std::string("v=spf1 ip4:192.0.2.1 ") + kTern + " -all");
  SpfCheck check = check_spf(redirect, "send.b.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::ok) << check.problem;
  EXPECT_TRUE(check.authorises);
  EXPECT_EQ(check.lookups, 2);
}

TEST(SpfCheck, NotAuthorised) {
  struct Case {
    const char* record;
  } cases[] = {
      {"v=spf1 ip4:192.0.2.1 -all"},
      {"v=spf1 -all include:_spf.tern.test"},   // never reached
      {"v=spf1 ~include:_spf.tern.test -all"},  // softfail qualifier
      {"v=spf1 -include:mid.a.test ~all"},      // reached through a failing include
      {"v=spf1 include:_spf.tern.test.evil.test ~all"},
  };
  for (const Case& c : cases) {
    FakeResolver dns = with_tern();
    dns.txt_at("mid.a.test", std::string("v=spf1 ") + kTern + " -all");
    dns.txt_at("_spf.tern.test.evil.test", "v=spf1 -all");
    dns.txt_at("send.a.test", c.record);
    SpfCheck check = check_spf(dns, "send.a.test", kTern);
    EXPECT_EQ(check.status, SpfStatus::ok) << c.record << ": " << check.problem;
    EXPECT_FALSE(check.authorises) << c.record;
  }
}

TEST(SpfCheck, NoneAndSeveralRecords) {
  FakeResolver dns = with_tern();
  dns.txt_at("send.a.test", "not spf");
  EXPECT_EQ(check_spf(dns, "send.a.test", kTern).status, SpfStatus::none);
  EXPECT_EQ(check_spf(dns, "nothing.a.test", kTern).status, SpfStatus::none);

  dns.txt_at("send.b.test", "v=spf1 include:_spf.tern.test ~all").txt_at("send.b.test", "v=spf1 include:_spf.tern.test ~all");
  SpfCheck check = check_spf(dns, "send.b.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_EQ(check.records.size(), 2u);
  EXPECT_NE(check.problem.find("2 SPF records"), std::string::npos) << check.problem;

  dns.txt_at("send.c.test", "v=spf1 include:two.c.test ~all");
  dns.txt_at("two.c.test", "v=spf1 -all").txt_at("two.c.test", "v=spf1 ~all");
  EXPECT_EQ(check_spf(dns, "send.c.test", kTern).status, SpfStatus::permerror);
}

TEST(SpfCheck, IncludeOfADomainWithoutSpfIsPermerror) {
  FakeResolver dns = with_tern();
  dns.txt_at("send.a.test", "v=spf1 include:_spf.tern.test include:gone.a.test ~all");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_NE(check.problem.find("gone.a.test"), std::string::npos) << check.problem;

  dns.txt_at("send.b.test", "v=spf1 include:_spf.tern.test include:bad.b.test ~all");
  dns.txt_at("bad.b.test", "v=spf1 ip4:1.2.3.4 moo");
  check = check_spf(dns, "send.b.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_NE(check.problem.find("bad.b.test is invalid"), std::string::npos) << check.problem;
}

TEST(SpfCheck, VoidLookups) {
  FakeResolver dns = with_tern();
  dns.exists_empty = {"empty.a.test"};
  dns.txt_at("send.a.test", "v=spf1 include:_spf.tern.test a:gone1.a.test mx:empty.a.test ~all");
  SpfCheck two = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(two.status, SpfStatus::ok) << two.problem;
  EXPECT_EQ(two.void_lookups, 2);

  dns.txt_records["send.a.test"] = {
      "v=spf1 include:_spf.tern.test a:gone1.a.test mx:empty.a.test exists:gone3.a.test ~all"};
  SpfCheck three = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(three.status, SpfStatus::permerror);
  EXPECT_EQ(three.void_lookups, 3);
  EXPECT_NE(three.problem.find("void"), std::string::npos) << three.problem;
}

TEST(SpfCheck, MxWithMoreThanTenHosts) {
  FakeResolver dns = with_tern();
  for (int i = 0; i < 11; ++i) dns.mx_records["big.a.test"].push_back({10, "mx" + std::to_string(i) + ".a.test"});
  dns.txt_at("send.a.test", "v=spf1 include:_spf.tern.test mx:big.a.test ~all");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::permerror);
  EXPECT_NE(check.problem.find("11 MX hosts"), std::string::npos) << check.problem;
}

TEST(SpfCheck, TimeoutsAreTemperror) {
  FakeResolver dns = with_tern();
  dns.slow = {"send.slow.test", "inc.slow.test", "host.slow.test"};
  EXPECT_EQ(check_spf(dns, "send.slow.test", kTern).status, SpfStatus::temperror);

  dns.txt_at("send.a.test", "v=spf1 include:_spf.tern.test include:inc.slow.test ~all");
  SpfCheck check = check_spf(dns, "send.a.test", kTern);
  EXPECT_EQ(check.status, SpfStatus::temperror);
  EXPECT_FALSE(check.authorises);
  EXPECT_NE(check.problem.find("retry"), std::string::npos) << check.problem;

  dns.txt_records["send.a.test"] = {"v=spf1 include:_spf.tern.test a:host.slow.test ~all"};
  EXPECT_EQ(check_spf(dns, "send.a.test", kTern).status, SpfStatus::temperror);
}

TEST(SpfCheck, Warnings) {
  struct Case {
    const char* record;
    const char* warning;
  } cases[] = {
      {"v=spf1 include:_spf.tern.test +all", "+all"},
      {"v=spf1 include:_spf.tern.test all", "+all"},
      {"v=spf1 include:_spf.tern.test ?all", "?all"},
      {"v=spf1 include:_spf.tern.test", "without ~all"},
      {"v=spf1 include:_spf.tern.test include:%{d}.x.test -all", "macros"},
  };
  for (const Case& c : cases) {
    FakeResolver dns = with_tern();
    dns.txt_at("send.a.test", c.record);
    SpfCheck check = check_spf(dns, "send.a.test", kTern);
    EXPECT_EQ(check.status, SpfStatus::ok) << c.record << ": " << check.problem;
    EXPECT_TRUE(check.authorises) << c.record;
    std::string all;
    for (const std::string& w : check.warnings) all += w + "\n";
    EXPECT_NE(all.find(c.warning), std::string::npos) << c.record << " -> " << all;
  }
}

// Bytes in, values out: arbitrary input drawn from the record alphabet
// (so it gets past the first check) never crashes, and whatever parses
// can be walked.
TEST(SpfParse, SurvivesArbitraryBytes) {
  static constexpr std::string_view kAlphabet = "v=spf1 +-~?:/%{}.-_aAlLdDiImMxXpPtTrR0123456789e\x01\xff";
  std::mt19937 rng(7208);
  FakeResolver dns = with_tern();
  for (int i = 0; i < 3000; ++i) {
    std::string text = i % 2 ? "v=spf1 " : "";
    const std::size_t size = rng() % 40;
    for (std::size_t j = 0; j < size; ++j) text += kAlphabet[rng() % kAlphabet.size()];
    auto record = parse_spf(text);
    if (record) {
      dns.txt_records["fuzz.a.test"] = {text};
      SpfCheck check = check_spf(dns, "fuzz.a.test", kTern);
      EXPECT_NE(check.status, SpfStatus::none) << text;
    }
  }
}

}  // namespace
}  // namespace tern::dns
