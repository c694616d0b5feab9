// address_class_test.cpp - is_public_address against every blocked range of
// protocols.md §5, the IPv4-wrapping IPv6 forms and unparseable input.
// Pure parsing: no address here is ever dialled.
#include "dnscheck/address_class.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::dns {
namespace {

struct Case {
  const char* ip;
  bool is_public;
};

void expect_all(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(is_public_address(c.ip), c.is_public) << c.ip;
  }
}

TEST(AddressClassTest, BlockedIpv4RangesAtTheirEdges) {
  expect_all({
      {"0.0.0.0", false},         {"0.255.255.255", false},   // 0/8
      {"10.0.0.0", false},        {"10.255.255.255", false},  // 10/8
      {"100.64.0.0", false},      {"100.127.255.255", false}, // 100.64/10
      {"127.0.0.1", false},       {"127.255.255.254", false}, // 127/8
      {"169.254.169.254", false}, {"169.254.0.1", false},     // 169.254/16
      {"172.16.0.1", false},      {"172.31.255.255", false},  // 172.16/12
      {"192.0.0.8", false},       {"192.0.0.255", false},     // 192.0.0/24
      {"192.0.2.1", false},       {"192.0.2.255", false},     // 192.0.2/24
      {"192.168.0.1", false},     {"192.168.255.255", false}, // 192.168/16
      {"198.18.0.1", false},      {"198.19.255.255", false},  // 198.18/15
      {"198.51.100.7", false},                                // 198.51.100/24
      {"203.0.113.9", false},                                 // 203.0.113/24
      {"224.0.0.1", false},       {"239.255.255.255", false}, // 224/4
      {"240.0.0.1", false},       {"255.255.255.255", false}, // 240/4
  });
}

TEST(AddressClassTest, PublicIpv4JustOutsideTheRanges) {
  expect_all({
      {"8.8.8.8", true},
      {"1.0.0.1", true},
      {"9.255.255.255", true},
      {"11.0.0.0", true},
      {"100.63.255.255", true},
      {"100.128.0.0", true},
      {"126.255.255.255", true},
      {"128.0.0.0", true},
      {"169.253.255.255", true},
      {"172.15.255.255", true},
      {"172.32.0.0", true},
      {"192.0.1.0", true},
      {"192.0.3.0", true},
      {"192.167.255.255", true},
      {"192.169.0.0", true},
      {"198.17.255.255", true},
      {"198.20.0.0", true},
      {"198.51.101.0", true},
      {"203.0.114.0", true},
      {"223.255.255.255", true},
  });
}

TEST(AddressClassTest, BlockedIpv6Ranges) {
  expect_all({
      {"::", false},
      {"::1", false},
      {"fc00::1", false},
      {"fdff:ffff::1", false},           // fc00::/7
      {"fe80::1", false},
      {"febf:ffff::1", false},           // fe80::/10
      {"fec0::1", false},                // fec0::/10, deprecated site-local
      {"ff02::1", false},
      {"ff0e::101", false},              // ff00::/8
      {"2001:db8::1", false},
      {"2001:db8:ffff::1", false},       // 2001:db8::/32
      {"100::", false},
      {"100::ffff:ffff:ffff:ffff", false},  // 100::/64
  });
}

TEST(AddressClassTest, PublicIpv6) {
  expect_all({
      {"2606:4700::1111", true},
      {"2001:4860:4860::8888", true},
      {"fbff:ffff::1", true},      // just below fc00::/7
      {"2001:db9::1", true},       // just past 2001:db8::/32
      {"100:0:0:1::", true},       // just past 100::/64
  });
}

TEST(AddressClassTest, Ipv4InsideIpv6IsJudgedByTheIpv4Address) {
  expect_all({
      {"::ffff:127.0.0.1", false},     // IPv4-mapped (OneUptime #2578)
      {"::ffff:7f00:1", false},        // the same, in hex
      {"::ffff:10.1.2.3", false},
      {"::ffff:169.254.169.254", false},
      {"::ffff:8.8.8.8", true},
      {"64:ff9b::127.0.0.1", false},   // NAT64
      {"64:ff9b::c0a8:101", false},    // 192.168.1.1
      {"64:ff9b::8.8.8.8", true},
      {"2002:7f00:1::", false},        // 6to4 of 127.0.0.1
      {"2002:a00:1::1", false},        // 6to4 of 10.0.0.1
      {"2002:808:808::1", true},       // 6to4 of 8.8.8.8
      {"::127.0.0.1", false},          // deprecated IPv4-compatible
  });
}

TEST(AddressClassTest, UnparseableIsNeverPublic) {
  expect_all({
      {"", false},
      {"localhost", false},
      {"example.com", false},
      {"127.1", false},
      {"0x7f.0.0.1", false},
      {"010.0.0.1", false},
      {"8.8.8.8.", false},
      {" 8.8.8.8", false},
      {"8.8.8.8 ", false},
      {"256.1.1.1", false},
      {"[2606:4700::1111]", false},
      {"fe80::1%eth0", false},
      {"2606:4700::1111::1", false},
  });
  EXPECT_FALSE(is_public_address(std::string("8.8.8.8\0", 8)));
}

}  // namespace
}  // namespace tern::dns
