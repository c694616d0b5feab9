// cares_resolver_test.cpp - the c-ares Resolver against a real dnsmasq on
// loopback: record types, NXDOMAIN versus NODATA, TXT strings joined, TCP
// fallback for big answers, timeouts/refusals as temporary, concurrent
// callers, and resolve_route end to end. Every name is under ".test" and is
// served by the local dnsmasq; nothing leaves the machine.
#include "dnscheck/resolver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dnscheck/mx_policy.hpp"
#include "tests/peers/dns_server.hpp"

namespace tern::dns {
namespace {

using testing::DnsServer;
using testing::DnsZone;

// A DKIM-like value longer than one 255-byte character-string.
std::string long_dkim_value() {
  std::string value = "v=DKIM1; k=rsa; p=";
  for (int i = 0; value.size() < 400; ++i) value += static_cast<char>('A' + i % 26);
  return value;
}

DnsZone test_zone() {
  DnsZone zone;
  zone.add_mx("mail.test", 20, "mx2.mail.test")
      .add_mx("mail.test", 10, "mx1.mail.test")
      .add_a("mx1.mail.test", "127.0.0.1")
      .add_a("mx2.mail.test", "127.0.0.2")
      .add_aaaa("mx2.mail.test", "::1")
      .add_aaaa("v6only.test", "::1")
      .add_mx("nullmx.test", 0, ".")
      .add_a("aonly.test", "127.0.0.3")
      .add_mx("noaddr.test", 10, "ghost.noaddr.test")
      .add_mx("slowmx.test", 10, "mx.slow.test")
      .add_unresponsive("slow.test")
      .add_txt("spf.test", {"v=spf1 -all"})
      .add_txt("multi.test", {"first"})
      .add_txt("multi.test", {"sec", "ond"})
      .add_txt("quoted.test", {"a \"quoted\" \\ value; with, commas"});
  const std::string dkim = long_dkim_value();
  zone.add_txt("sel._domainkey.dkim.test", {dkim.substr(0, 255), dkim.substr(255)});
  for (int i = 0; i < 6; ++i) zone.add_txt("big.test", {std::string(250, static_cast<char>('a' + i))});
  return zone;
}

class CaresResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new DnsServer(test_zone()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::unique_ptr<Resolver> resolver(std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    ResolverOptions options;
    options.servers = {server_->server_spec()};
    options.timeout = timeout;
    options.tries = 1;
    return make_cares_resolver(options);
  }

  static DnsServer* server_;
};

DnsServer* CaresResolverTest::server_ = nullptr;

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(CaresResolverTest, MxRecords) {
  MxLookup mx = resolver()->mx("mail.test");
  ASSERT_EQ(mx.status, LookupStatus::ok) << mx.detail << "\n" << server_->log();
  ASSERT_EQ(mx.records.size(), 2u);
  std::sort(mx.records.begin(), mx.records.end(),
            [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
  EXPECT_EQ(mx.records[0].preference, 10);
  EXPECT_EQ(mx.records[0].exchange, "mx1.mail.test");
  EXPECT_EQ(mx.records[1].preference, 20);
  EXPECT_EQ(mx.records[1].exchange, "mx2.mail.test");
}

TEST_F(CaresResolverTest, NullMxReadsAsDot) {
  MxLookup mx = resolver()->mx("nullmx.test");
  ASSERT_EQ(mx.status, LookupStatus::ok) << mx.detail;
  ASSERT_EQ(mx.records.size(), 1u);
  EXPECT_EQ(mx.records[0].preference, 0);
  EXPECT_EQ(mx.records[0].exchange, ".");
}

TEST_F(CaresResolverTest, NxdomainAndNodataAreDistinct) {
  auto r = resolver();
  MxLookup missing = r->mx("nosuch.test");
  EXPECT_EQ(missing.status, LookupStatus::nxdomain) << missing.detail;
  EXPECT_FALSE(missing.detail.empty());
  MxLookup no_mx = r->mx("aonly.test");
  EXPECT_EQ(no_mx.status, LookupStatus::nodata) << no_mx.detail;
  EXPECT_EQ(r->txt("aonly.test").status, LookupStatus::nodata);
  EXPECT_EQ(r->txt("nosuch.test").status, LookupStatus::nxdomain);
  EXPECT_EQ(r->addresses("nosuch.test").status, LookupStatus::nxdomain);
  EXPECT_EQ(r->addresses("spf.test").status, LookupStatus::nodata);
}

TEST_F(CaresResolverTest, AddressesAFirstThenAaaa) {
  auto r = resolver();
  AddressLookup both = r->addresses("mx2.mail.test");
  ASSERT_EQ(both.status, LookupStatus::ok) << both.detail;
  EXPECT_EQ(both.addresses, (std::vector<std::string>{"127.0.0.2", "::1"}));
  AddressLookup v4 = r->addresses("mx1.mail.test");
  ASSERT_EQ(v4.status, LookupStatus::ok) << v4.detail;
  EXPECT_EQ(v4.addresses, (std::vector<std::string>{"127.0.0.1"}));
  AddressLookup v6 = r->addresses("v6only.test");
  ASSERT_EQ(v6.status, LookupStatus::ok) << v6.detail;
  EXPECT_EQ(v6.addresses, (std::vector<std::string>{"::1"}));
}

TEST_F(CaresResolverTest, TxtStringsOfOneRecordAreJoined) {
  auto r = resolver();
  TxtLookup spf = r->txt("spf.test");
  ASSERT_EQ(spf.status, LookupStatus::ok) << spf.detail;
  EXPECT_EQ(spf.records, (std::vector<std::string>{"v=spf1 -all"}));

  TxtLookup dkim = r->txt("sel._domainkey.dkim.test");
  ASSERT_EQ(dkim.status, LookupStatus::ok) << dkim.detail;
  EXPECT_EQ(dkim.records, (std::vector<std::string>{long_dkim_value()}));

  TxtLookup multi = r->txt("multi.test");
  ASSERT_EQ(multi.status, LookupStatus::ok) << multi.detail;
  EXPECT_EQ(sorted(multi.records), (std::vector<std::string>{"first", "second"}));

  TxtLookup quoted = r->txt("quoted.test");
  ASSERT_EQ(quoted.status, LookupStatus::ok) << quoted.detail;
  EXPECT_EQ(quoted.records, (std::vector<std::string>{"a \"quoted\" \\ value; with, commas"}));
}

TEST_F(CaresResolverTest, BigAnswerComesOverTcp) {
  // Six 250-byte records exceed the 1232-byte EDNS payload: the UDP answer
  // is truncated and c-ares must repeat the query over TCP.
  TxtLookup big = resolver()->txt("big.test");
  ASSERT_EQ(big.status, LookupStatus::ok) << big.detail;
  std::vector<std::string> want;
  for (int i = 0; i < 6; ++i) want.emplace_back(250, static_cast<char>('a' + i));
  EXPECT_EQ(sorted(big.records), want);
}

TEST_F(CaresResolverTest, TimeoutIsTemporary) {
  auto r = resolver(std::chrono::milliseconds(200));
  MxLookup mx = r->mx("x.slow.test");
  EXPECT_EQ(mx.status, LookupStatus::temporary) << mx.detail;
  EXPECT_FALSE(mx.detail.empty());
  EXPECT_EQ(r->addresses("x.slow.test").status, LookupStatus::temporary);
  EXPECT_EQ(r->txt("x.slow.test").status, LookupStatus::temporary);
}

TEST_F(CaresResolverTest, RefusedIsTemporary) {
  // dnsmasq refuses names outside its local zone (it has no upstream).
  MxLookup mx = resolver()->mx("outside.invalid");
  EXPECT_EQ(mx.status, LookupStatus::temporary) << mx.detail;
}

TEST_F(CaresResolverTest, DeadServerIsTemporary) {
  ResolverOptions options;
  options.servers = {"127.0.0.1:" + std::to_string(testing::free_loopback_port())};
  options.timeout = std::chrono::milliseconds(200);
  options.tries = 1;
  MxLookup mx = make_cares_resolver(options)->mx("mail.test");
  EXPECT_EQ(mx.status, LookupStatus::temporary) << mx.detail;
}

TEST_F(CaresResolverTest, UnaskableNamesAreErrors) {
  auto r = resolver();
  EXPECT_EQ(r->mx("").status, LookupStatus::error);
  EXPECT_EQ(r->txt(std::string(300, 'a') + ".test").status, LookupStatus::error);
  EXPECT_EQ(r->addresses("a..test").status, LookupStatus::error);
}

TEST_F(CaresResolverTest, BadServerSpecIsAnError) {
  ResolverOptions options;
  options.servers = {"not an address"};
  MxLookup mx = make_cares_resolver(options)->mx("mail.test");
  EXPECT_EQ(mx.status, LookupStatus::error);
  EXPECT_FALSE(mx.detail.empty());
}

TEST_F(CaresResolverTest, ConcurrentCallersEachGetTheirAnswer) {
  auto r = resolver();
  std::vector<std::thread> threads;
  std::vector<int> correct(8, 0);
  for (std::size_t t = 0; t < correct.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const bool mx_ok = r->mx("mail.test").records.size() == 2;
        const AddressLookup a = r->addresses("mx1.mail.test");
        const bool a_ok = a.addresses == std::vector<std::string>{"127.0.0.1"};
        const bool nx_ok = r->mx("nosuch.test").status == LookupStatus::nxdomain;
        if (mx_ok && a_ok && nx_ok) ++correct[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int c : correct) EXPECT_EQ(c, 10);
}

TEST_F(CaresResolverTest, ResolveRouteEndToEnd) {
  auto r = resolver(std::chrono::milliseconds(300));
  std::mt19937_64 rng(1);

  Route mail = resolve_route(*r, "mail.test", rng);
  ASSERT_EQ(mail.status, RouteStatus::ok) << mail.detail;
  ASSERT_EQ(mail.hosts.size(), 2u);
  EXPECT_EQ(mail.hosts[0].name, "mx1.mail.test");
  EXPECT_EQ(mail.hosts[0].addresses, (std::vector<std::string>{"127.0.0.1"}));
  EXPECT_EQ(mail.hosts[1].name, "mx2.mail.test");
  EXPECT_EQ(mail.hosts[1].addresses, (std::vector<std::string>{"127.0.0.2", "::1"}));

  Route implicit = resolve_route(*r, "aonly.test", rng);
  ASSERT_EQ(implicit.status, RouteStatus::ok) << implicit.detail;
  ASSERT_EQ(implicit.hosts.size(), 1u);
  EXPECT_EQ(implicit.hosts[0].name, "aonly.test");
  EXPECT_EQ(implicit.hosts[0].preference, 0);

  EXPECT_EQ(resolve_route(*r, "nullmx.test", rng).status, RouteStatus::null_mx);
  EXPECT_EQ(resolve_route(*r, "nosuch.test", rng).status, RouteStatus::no_such_domain);
  EXPECT_EQ(resolve_route(*r, "noaddr.test", rng).status, RouteStatus::no_addresses);
  EXPECT_EQ(resolve_route(*r, "x.slow.test", rng).status, RouteStatus::temporary_failure);
  EXPECT_EQ(resolve_route(*r, "slowmx.test", rng).status, RouteStatus::temporary_failure);
}

}  // namespace
}  // namespace tern::dns
