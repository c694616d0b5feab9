// mx_policy_test.cpp - order_mx and resolve_route against tables of DNS
// answers served by an in-memory Resolver (a seam we own; the c-ares
// resolver is tested against a real dnsmasq in cares_resolver_test.cpp).
#include "dnscheck/mx_policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace tern::dns {
namespace {

// TableResolver - answers from maps; unknown names are NXDOMAIN.
class TableResolver final : public Resolver {
 public:
  std::map<std::string, MxLookup> mx_answers;
  std::map<std::string, AddressLookup> address_answers;
  std::vector<std::string> asked;

  MxLookup mx(std::string_view domain) override {
    asked.push_back("MX " + std::string(domain));
    auto it = mx_answers.find(std::string(domain));
    return it != mx_answers.end() ? it->second : MxLookup{LookupStatus::nxdomain, {}, "MX: NXDOMAIN"};
  }
  AddressLookup addresses(std::string_view host) override {
    asked.push_back("ADDR " + std::string(host));
    auto it = address_answers.find(std::string(host));
    return it != address_answers.end() ? it->second : AddressLookup{LookupStatus::nxdomain, {}, "A: NXDOMAIN"};
  }
  TxtLookup txt(std::string_view) override { return TxtLookup{LookupStatus::nxdomain, {}, ""}; }
};

MxLookup mx_ok(std::vector<MxRecord> records) { return MxLookup{LookupStatus::ok, std::move(records), ""}; }
MxLookup mx_status(LookupStatus status) { return MxLookup{status, {}, std::string("MX: ") + to_string(status)}; }
AddressLookup addr_ok(std::vector<std::string> a) { return AddressLookup{LookupStatus::ok, std::move(a), ""}; }
AddressLookup addr_status(LookupStatus status) {
  return AddressLookup{status, {}, std::string("A/AAAA: ") + to_string(status)};
}

std::vector<std::string> exchanges(const std::vector<MxRecord>& records) {
  std::vector<std::string> out;
  for (const MxRecord& r : records) out.push_back(r.exchange);
  return out;
}

std::vector<std::string> host_names(const Route& route) {
  std::vector<std::string> out;
  for (const RouteHost& h : route.hosts) out.push_back(h.name);
  return out;
}

TEST(OrderMxTest, LowestPreferenceFirst) {
  std::mt19937_64 rng(1);
  auto ordered = order_mx({{30, "c"}, {10, "a"}, {20, "b"}, {0, "z"}}, rng);
  EXPECT_EQ(exchanges(ordered), (std::vector<std::string>{"z", "a", "b", "c"}));
  EXPECT_TRUE(order_mx({}, rng).empty());
}

TEST(OrderMxTest, EqualPreferencesAreShuffledAndEveryOrderOccurs) {
  std::set<std::vector<std::string>> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    auto ordered = order_mx({{10, "a"}, {20, "last"}, {10, "b"}, {10, "c"}, {5, "first"}}, rng);
    ASSERT_EQ(ordered.size(), 5u);
    EXPECT_EQ(ordered.front().exchange, "first");
    EXPECT_EQ(ordered.back().exchange, "last");
    seen.insert({ordered[1].exchange, ordered[2].exchange, ordered[3].exchange});
  }
  EXPECT_EQ(seen.size(), 6u);  // all 3! orders of a, b, c
}

TEST(OrderMxTest, SameSeedSameOrder) {
  const std::vector<MxRecord> records{{10, "a"}, {10, "b"}, {10, "c"}, {10, "d"}};
  std::mt19937_64 one(42);
  std::mt19937_64 two(42);
  EXPECT_EQ(exchanges(order_mx(records, one)), exchanges(order_mx(records, two)));
}

struct RouteCase {
  const char* label;
  std::map<std::string, MxLookup> mx;
  std::map<std::string, AddressLookup> addresses;
  std::size_t max_hosts;
  RouteStatus want_status;
  std::vector<std::string> want_hosts;
};

TEST(ResolveRouteTest, Table) {
  const std::vector<RouteCase> cases{
      {"ordered hosts with addresses",
       {{"d.test", mx_ok({{20, "mx2.d.test"}, {10, "mx1.d.test"}})}},
       {{"mx1.d.test", addr_ok({"192.0.2.1"})}, {"mx2.d.test", addr_ok({"192.0.2.2", "2001:db8::2"})}},
       5, RouteStatus::ok, {"mx1.d.test", "mx2.d.test"}},
      {"null MX", {{"d.test", mx_ok({{0, "."}})}}, {}, 5, RouteStatus::null_mx, {}},
      {"null MX next to a real host is skipped",
       {{"d.test", mx_ok({{0, "."}, {10, "mx.d.test"}})}},
       {{"mx.d.test", addr_ok({"192.0.2.1"})}},
       5, RouteStatus::ok, {"mx.d.test"}},
      {"NODATA: implicit MX to the domain itself",
       {{"d.test", mx_status(LookupStatus::nodata)}},
       {{"d.test", addr_ok({"192.0.2.9"})}},
       5, RouteStatus::ok, {"d.test"}},
      {"NODATA and no address", {{"d.test", mx_status(LookupStatus::nodata)}},
       {{"d.test", addr_status(LookupStatus::nodata)}}, 5, RouteStatus::no_addresses, {}},
      {"NXDOMAIN", {}, {}, 5, RouteStatus::no_such_domain, {}},
      {"MX SERVFAIL or timeout", {{"d.test", mx_status(LookupStatus::temporary)}}, {}, 5,
       RouteStatus::temporary_failure, {}},
      {"MX malformed answer", {{"d.test", mx_status(LookupStatus::error)}}, {}, 5,
       RouteStatus::temporary_failure, {}},
      {"every host lookup temporary",
       {{"d.test", mx_ok({{10, "a.d.test"}, {20, "b.d.test"}})}},
       {{"a.d.test", addr_status(LookupStatus::temporary)}, {"b.d.test", addr_status(LookupStatus::temporary)}},
       5, RouteStatus::temporary_failure, {}},
      {"no host has an address",
       {{"d.test", mx_ok({{10, "a.d.test"}, {20, "b.d.test"}})}},
       {{"b.d.test", addr_status(LookupStatus::nodata)}},
       5, RouteStatus::no_addresses, {}},
      {"one temporary, one without address: retry",
       {{"d.test", mx_ok({{10, "a.d.test"}, {20, "b.d.test"}})}},
       {{"a.d.test", addr_status(LookupStatus::temporary)}},
       5, RouteStatus::temporary_failure, {}},
      {"a failing host is skipped",
       {{"d.test", mx_ok({{10, "a.d.test"}, {20, "b.d.test"}})}},
       {{"a.d.test", addr_status(LookupStatus::temporary)}, {"b.d.test", addr_ok({"192.0.2.2"})}},
       5, RouteStatus::ok, {"b.d.test"}},
      {"capped at max_hosts",
       {{"d.test", mx_ok({{40, "d4"}, {30, "d3"}, {20, "d2"}, {10, "d1"}})}},
       {{"d1", addr_ok({"192.0.2.1"})}, {"d2", addr_ok({"192.0.2.2"})}, {"d3", addr_ok({"192.0.2.3"})},
        {"d4", addr_ok({"192.0.2.4"})}},
       2, RouteStatus::ok, {"d1", "d2"}},
      {"duplicate exchanges kept once",
       {{"d.test", mx_ok({{10, "mx.d.test"}, {20, "MX.d.test"}})}},
       {{"mx.d.test", addr_ok({"192.0.2.1"})}},
       5, RouteStatus::ok, {"mx.d.test"}},
  };
  for (const RouteCase& c : cases) {
    SCOPED_TRACE(c.label);
    TableResolver resolver;
    resolver.mx_answers = c.mx;
    resolver.address_answers = c.addresses;
    std::mt19937_64 rng(7);
    Route route = resolve_route(resolver, "d.test", rng, c.max_hosts);
    EXPECT_EQ(to_string(route.status), std::string(to_string(c.want_status))) << route.detail;
    EXPECT_EQ(host_names(route), c.want_hosts);
    if (route.status != RouteStatus::ok) {
      EXPECT_FALSE(route.detail.empty());
    }
  }
}

TEST(ResolveRouteTest, HostsCarryPreferenceAndAddresses) {
  TableResolver resolver;
  resolver.mx_answers["d.test"] = mx_ok({{20, "mx2.d.test"}, {10, "mx1.d.test"}});
  resolver.address_answers["mx1.d.test"] = addr_ok({"192.0.2.1", "2001:db8::1"});
  resolver.address_answers["mx2.d.test"] = addr_ok({"192.0.2.2"});
  std::mt19937_64 rng(3);
  Route route = resolve_route(resolver, "d.test", rng);
  ASSERT_EQ(route.hosts.size(), 2u);
  EXPECT_EQ(route.hosts[0].preference, 10);
  EXPECT_EQ(route.hosts[0].addresses, (std::vector<std::string>{"192.0.2.1", "2001:db8::1"}));
  EXPECT_EQ(route.hosts[1].preference, 20);
}

TEST(ResolveRouteTest, NullMxAsksNothingMore) {
  TableResolver resolver;
  resolver.mx_answers["d.test"] = mx_ok({{0, "."}});
  std::mt19937_64 rng(3);
  EXPECT_EQ(resolve_route(resolver, "d.test", rng).status, RouteStatus::null_mx);
  EXPECT_EQ(resolver.asked, (std::vector<std::string>{"MX d.test"}));
}

TEST(ResolveRouteTest, StopsResolvingOnceMaxHostsHaveAddresses) {
  TableResolver resolver;
  resolver.mx_answers["d.test"] = mx_ok({{10, "d1"}, {20, "d2"}, {30, "d3"}});
  resolver.address_answers["d1"] = addr_ok({"192.0.2.1"});
  resolver.address_answers["d2"] = addr_ok({"192.0.2.2"});
  std::mt19937_64 rng(3);
  resolve_route(resolver, "d.test", rng, 1);
  EXPECT_EQ(resolver.asked, (std::vector<std::string>{"MX d.test", "ADDR d1"}));
}

TEST(ResolveRouteTest, TrailingDotIsDropped) {
  TableResolver resolver;
  resolver.mx_answers["d.test"] = mx_status(LookupStatus::nodata);
  resolver.address_answers["d.test"] = addr_ok({"192.0.2.9"});
  std::mt19937_64 rng(3);
  Route route = resolve_route(resolver, "d.test.", rng);
  EXPECT_EQ(route.status, RouteStatus::ok);
  EXPECT_EQ(host_names(route), (std::vector<std::string>{"d.test"}));
}

TEST(ResolveRouteTest, EqualPreferenceHostsComeInBothOrders) {
  std::set<std::string> firsts;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    TableResolver resolver;
    resolver.mx_answers["d.test"] = mx_ok({{10, "a"}, {10, "b"}});
    resolver.address_answers["a"] = addr_ok({"192.0.2.1"});
    resolver.address_answers["b"] = addr_ok({"192.0.2.2"});
    std::mt19937_64 rng(seed);
    Route route = resolve_route(resolver, "d.test", rng);
    ASSERT_EQ(route.hosts.size(), 2u);
    firsts.insert(route.hosts.front().name);
  }
  EXPECT_EQ(firsts, (std::set<std::string>{"a", "b"}));
}

TEST(StatusNamesTest, EveryValueHasAName) {
  EXPECT_STREQ(to_string(RouteStatus::ok), "ok");
  EXPECT_STREQ(to_string(RouteStatus::null_mx), "null_mx");
  EXPECT_STREQ(to_string(RouteStatus::no_such_domain), "no_such_domain");
  EXPECT_STREQ(to_string(RouteStatus::no_addresses), "no_addresses");
  EXPECT_STREQ(to_string(RouteStatus::temporary_failure), "temporary_failure");
  EXPECT_STREQ(to_string(LookupStatus::nxdomain), "nxdomain");
  EXPECT_STREQ(to_string(LookupStatus::nodata), "nodata");
  EXPECT_STREQ(to_string(LookupStatus::temporary), "temporary");
  EXPECT_STREQ(to_string(LookupStatus::error), "error");
  EXPECT_STREQ(to_string(LookupStatus::ok), "ok");
}

}  // namespace
}  // namespace tern::dns
