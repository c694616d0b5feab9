#include "mailer/smtp/capabilities.hpp"

#include <gtest/gtest.h>

namespace tern::smtp {
namespace {

Reply ehlo(std::vector<std::string> lines, int code = 250) { return Reply{code, std::nullopt, std::move(lines)}; }

TEST(Capabilities, TypicalPostfix) {
  Capabilities c = parse_capabilities(ehlo({"mx.example.com", "PIPELINING", "SIZE 10240000", "VRFY", "ETRN",
                                           "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8",
                                           "CHUNKING"}));
  EXPECT_TRUE(c.esmtp);
  EXPECT_TRUE(c.pipelining);
  EXPECT_TRUE(c.starttls);
  EXPECT_TRUE(c.enhanced_status_codes);
  EXPECT_TRUE(c.eightbitmime);
  EXPECT_TRUE(c.dsn);
  EXPECT_TRUE(c.smtputf8);
  EXPECT_TRUE(c.chunking);
  ASSERT_TRUE(c.size_limit);
  EXPECT_EQ(*c.size_limit, 10240000u);
  EXPECT_TRUE(c.auth_mechanisms.empty());
}

TEST(Capabilities, FirstLineIsGreetingNotAKeyword) {
  Capabilities c = parse_capabilities(ehlo({"STARTTLS greets you"}));
  EXPECT_TRUE(c.esmtp);
  EXPECT_FALSE(c.starttls);
}

TEST(Capabilities, CaseInsensitiveAndAuthForms) {
  Capabilities c = parse_capabilities(
      ehlo({"mx", "starttls", "Pipelining", "auth plain LOGIN", "AUTH=LOGIN CRAM-MD5", "AUTH="}));
  EXPECT_TRUE(c.starttls);
  EXPECT_TRUE(c.pipelining);
  EXPECT_EQ(c.auth_mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN", "CRAM-MD5"}));
}

TEST(Capabilities, SizeWithoutNumberMeansNoFixedLimit) {
  Capabilities c = parse_capabilities(ehlo({"mx", "SIZE"}));
  ASSERT_TRUE(c.size_limit);
  EXPECT_EQ(*c.size_limit, 0u);
}

TEST(Capabilities, MalformedSizeIsIgnored) {
  EXPECT_FALSE(parse_capabilities(ehlo({"mx", "SIZE lots"})).size_limit);
  EXPECT_FALSE(parse_capabilities(ehlo({"mx", "SIZE 99999999999999999999999"})).size_limit);
}

TEST(Capabilities, NothingFromANegativeReply) {
  Capabilities c = parse_capabilities(ehlo({"mx", "STARTTLS"}, 502));
  EXPECT_FALSE(c.esmtp);
  EXPECT_FALSE(c.starttls);
}

TEST(Capabilities, BlankAndOddLinesAreHarmless) {
  Capabilities c = parse_capabilities(ehlo({"mx", "", "   ", "X-UNKNOWN a b", "\tSTARTTLS"}));
  EXPECT_TRUE(c.starttls);
  EXPECT_FALSE(c.pipelining);
}

}  // namespace
}  // namespace tern::smtp
