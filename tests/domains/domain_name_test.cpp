// domain_name_test.cpp - what POST /domains accepts as a name and options.
#include "domains/domain_name.hpp"

#include <gtest/gtest.h>

namespace tern::domains {
namespace {

TEST(NormalizeDomainName, LowerCasesAndDropsTheRootDot) {
  EXPECT_EQ(normalize_domain_name("Example.COM").value(), "example.com");
  EXPECT_EQ(normalize_domain_name("mail.example.co.uk.").value(), "mail.example.co.uk");
  EXPECT_EQ(normalize_domain_name("x-1.example.test").value(), "x-1.example.test");
  EXPECT_EQ(normalize_domain_name("xn--bcher-kva.example").value(), "xn--bcher-kva.example");
}

TEST(NormalizeDomainName, RefusesWhatIsNotAnLdhNameWithADot) {
  for (const char* bad : {"", ".", "localhost", "example..com", ".example.com", "-a.example.com",
                          "a-.example.com", "exa_mple.com", "exa mple.com", "bücher.example", "192.168.1.1",
                          "example.com/x", "a@example.com"}) {
    auto r = normalize_domain_name(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_NE(r.error().message.find("domain name"), std::string::npos) << r.error().message;
  }
}

TEST(NormalizeDomainName, EnforcesLengthLimits) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(normalize_domain_name(label63 + ".test"));
  EXPECT_FALSE(normalize_domain_name(label63 + "a.test"));
  std::string name;
  while (name.size() + 4 <= 253) name += "abc.";
  name += "t";  // exactly at or under 253
  ASSERT_LE(name.size(), 253u);
  EXPECT_TRUE(normalize_domain_name(name)) << name.size();
  EXPECT_FALSE(normalize_domain_name(std::string(250, 'a').insert(100, ".") + ".test"));
}

TEST(CheckReturnPath, FollowsResendsRule) {
  EXPECT_EQ(check_return_path("send").value(), "send");
  EXPECT_EQ(check_return_path("Bounce-1").value(), "bounce-1");
  EXPECT_TRUE(check_return_path(std::string(63, 'a')));
  for (const char* bad : {"", "1send", "send-", "se.nd", "se_nd", "-send"}) EXPECT_FALSE(check_return_path(bad)) << bad;
  EXPECT_FALSE(check_return_path(std::string(64, 'a')));
}

TEST(RegionAndTls, OnlyDocumentedValues) {
  EXPECT_TRUE(is_region("us-east-1"));
  EXPECT_TRUE(is_region("ap-northeast-1"));
  EXPECT_FALSE(is_region("us-west-2"));
  EXPECT_TRUE(is_tls_mode("enforced"));
  EXPECT_TRUE(is_tls_mode("opportunistic"));
  EXPECT_FALSE(is_tls_mode("required"));
}

}  // namespace
}  // namespace tern::domains
