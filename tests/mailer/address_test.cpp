#include "mailer/address.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace tern::mailer {
namespace {

Mailbox parse_ok(std::string_view text) {
  auto parsed = parse_mailbox(text);
  EXPECT_TRUE(parsed.has_value()) << "input: " << text << " error: " << (parsed ? "" : parsed.error().message);
  return parsed.value_or(Mailbox{});
}

void expect_rejected(std::string_view text) {
  auto parsed = parse_mailbox(text);
  ASSERT_FALSE(parsed.has_value()) << "accepted: " << text;
  EXPECT_EQ(parsed.error().code, Errc::invalid_argument);
  EXPECT_FALSE(parsed.error().message.empty());
}

TEST(ParseMailbox, BareAddress) {
  Mailbox m = parse_ok("user@example.com");
  EXPECT_EQ(m.display_name, "");
  EXPECT_EQ(m.address, "user@example.com");
  EXPECT_EQ(m.local_part(), "user");
  EXPECT_EQ(m.domain(), "example.com");
}

TEST(ParseMailbox, ShortestAddressFromTheContract) {
  Mailbox m = parse_ok("a@b");
  EXPECT_EQ(m.address, "a@b");
}

TEST(ParseMailbox, DisplayNameAndAngleAddress) {
  Mailbox m = parse_ok("Acme Team <onboarding@acme.test>");
  EXPECT_EQ(m.display_name, "Acme Team");
  EXPECT_EQ(m.address, "onboarding@acme.test");
}

TEST(ParseMailbox, SurroundingWhitespaceIsTrimmed) {
  Mailbox m = parse_ok("  \tAcme   <a@acme.test>  ");
  EXPECT_EQ(m.display_name, "Acme");
  EXPECT_EQ(m.address, "a@acme.test");
}

TEST(ParseMailbox, QuotedDisplayNameWithCommaAndEscapes) {
  Mailbox m = parse_ok(R"("Doe, John \"JD\" \\ co" <john@example.com>)");
  EXPECT_EQ(m.display_name, R"(Doe, John "JD" \ co)");
  EXPECT_EQ(m.address, "john@example.com");
}

TEST(ParseMailbox, QuotedNameMayHoldAngleBrackets) {
  Mailbox m = parse_ok(R"("a <b> c" <x@y.test>)");
  EXPECT_EQ(m.display_name, "a <b> c");
  EXPECT_EQ(m.address, "x@y.test");
}

TEST(ParseMailbox, Utf8DisplayNames) {
  EXPECT_EQ(parse_ok("Jos\xC3\xA9 <jose@example.com>").display_name, "Jos\xC3\xA9");
  EXPECT_EQ(parse_ok("\xE5\xB1\xB1\xE7\x94\xB0 <yamada@example.jp>").display_name, "\xE5\xB1\xB1\xE7\x94\xB0");
  EXPECT_EQ(parse_ok("\"\xF0\x9F\x98\x80 Team\" <t@example.com>").display_name, "\xF0\x9F\x98\x80 Team");
}

TEST(ParseMailbox, EmptyAngleNameIsAllowed) {
  Mailbox m = parse_ok("<user@example.com>");
  EXPECT_EQ(m.display_name, "");
  EXPECT_EQ(m.address, "user@example.com");
}

TEST(ParseMailbox, QuotedLocalPart) {
  Mailbox m = parse_ok(R"("john doe@home"@example.com)");
  EXPECT_EQ(m.local_part(), R"("john doe@home")");
  EXPECT_EQ(m.domain(), "example.com");
}

TEST(ParseMailbox, InjectionAttemptsAreRejected) {
  expect_rejected("user@example.com\r\nBcc: victim@example.com");
  expect_rejected("Name\r\n <user@example.com>");
  expect_rejected("user@example.com\n");
  expect_rejected("user@exa\rmple.com");
  expect_rejected(std::string_view("user@example.com\0x", 18));
  expect_rejected("\"Evil\r\nBcc: x\" <a@b.test>");
}

TEST(ParseMailbox, MissingOrEmptyParts) {
  expect_rejected("");
  expect_rejected("   ");
  expect_rejected("userexample.com");
  expect_rejected("@example.com");
  expect_rejected("user@");
  expect_rejected("Name <>");
  expect_rejected("Name <@>");
  expect_rejected("\"\"@example.com");
}

TEST(ParseMailbox, BadDotAtoms) {
  expect_rejected(".user@example.com");
  expect_rejected("user.@example.com");
  expect_rejected("us..er@example.com");
  expect_rejected("us er@example.com");
  expect_rejected("us(er@example.com");
}

TEST(ParseMailbox, BadDomains) {
  expect_rejected("user@-example.com");
  expect_rejected("user@example-.com");
  expect_rejected("user@example..com");
  expect_rejected("user@.example.com");
  expect_rejected("user@example.com.");
  expect_rejected("user@exa_mple.com");
  expect_rejected("user@[127.0.0.1]");
  expect_rejected("user@exam ple.com");
}

TEST(ParseMailbox, UnbalancedBracketsAndQuotes) {
  expect_rejected("Name <user@example.com");
  expect_rejected("Name user@example.com>");
  expect_rejected("Name <<user@example.com>>");
  expect_rejected("Name <user@example.com> trailing");
  expect_rejected("\"Name <user@example.com>");
  expect_rejected("\"Name\" extra <user@example.com>");
  expect_rejected("Na\"me <user@example.com>");
  expect_rejected("user@example.com>");
}

TEST(ParseMailbox, ControlCharactersInDisplayNameAreRejected) {
  expect_rejected("Bad\x01Name <a@b.test>");
  expect_rejected("Bad\x7FName <a@b.test>");
}

TEST(ParseMailbox, InvalidUtf8DisplayNameIsRejected) {
  expect_rejected("Bad\xFFName <a@b.test>");
  expect_rejected("\xC0\xAF <a@b.test>");  // overlong "/"
}

TEST(ParseMailbox, NonAsciiLocalPartIsRefused) { expect_rejected("j\xC3\xB6rg@example.com"); }

TEST(ParseMailbox, IdnDomainIsKeptAsGiven) {
  Mailbox m = parse_ok("user@b\xC3\xBC" "cher.example");
  EXPECT_EQ(m.domain(), "b\xC3\xBC" "cher.example");
}

TEST(AddressLimits, IdnLabelLimitAppliesToTheALabel) {
  // 63 octets as UTF-8, but "xn--" + 66 characters as an A-label.
  const std::string label = std::string(50, 'a') + "\xC3\xBC\xC3\xA9\xC3\xB6\xC3\xA4" + std::string(5, 'b');
  ASSERT_EQ(label.size(), 63u);
  EXPECT_FALSE(is_valid_address("a@" + label + ".example"));
  EXPECT_TRUE(is_valid_address("a@" + label.substr(10) + ".example"));
}

TEST(AddressLimits, LocalPartOf64IsTheMaximum) {
  const std::string local64(64, 'a');
  EXPECT_TRUE(is_valid_address(local64 + "@example.com"));
  EXPECT_FALSE(is_valid_address(local64 + "a@example.com"));
}

TEST(AddressLimits, LabelOf63IsTheMaximum) {
  const std::string label63(63, 'b');
  EXPECT_TRUE(is_valid_address("a@" + label63 + ".com"));
  EXPECT_FALSE(is_valid_address("a@" + label63 + "b.com"));
}

TEST(AddressLimits, WholeAddressOf254IsTheMaximum) {
  // 64 + 1 + 189 = 254; the domain is four labels: 63.63.61 = 189.
  const std::string domain = std::string(63, 'c') + "." + std::string(63, 'd') + "." + std::string(61, 'e');
  const std::string at254 = std::string(64, 'a') + "@" + domain;
  ASSERT_EQ(at254.size(), 254u);
  EXPECT_TRUE(is_valid_address(at254));
  EXPECT_FALSE(is_valid_address(at254 + "e"));
  EXPECT_FALSE(parse_mailbox("Name <" + at254 + "e>").has_value());
}

TEST(AddressLimits, DomainOver255IsRejectedEvenWithShortLocal) {
  std::string domain;
  while (domain.size() < 256) domain += std::string(60, 'x') + ".";
  domain += "com";
  EXPECT_FALSE(is_valid_address("a@" + domain));
}

TEST(IsValidAddress, RejectsDisplayNameForms) {
  EXPECT_TRUE(is_valid_address("a.b+tag@sub.example.com"));
  EXPECT_FALSE(is_valid_address("Name <a@b.test>"));
  EXPECT_FALSE(is_valid_address(" a@b.test"));
  EXPECT_FALSE(is_valid_address("a@b@c.test"));
}

TEST(NormalizeAddress, LowercasesOnlyTheDomain) {
  EXPECT_EQ(normalize_address("User.Name@Example.COM"), "User.Name@example.com");
  EXPECT_EQ(normalize_address("\"A@B\"@EXAMPLE.com"), "\"A@B\"@example.com");
  EXPECT_EQ(normalize_address("no-at-sign"), "no-at-sign");
}

TEST(MailboxParts, WithoutAtSign) {
  Mailbox m{"", "nobody"};
  EXPECT_EQ(m.local_part(), "nobody");
  EXPECT_EQ(m.domain(), "");
}

TEST(ParseMailbox, RandomInputNeverYieldsAnUnsafeMailbox) {
  const std::string pieces[] = {"a", "b.", "@", "<", ">", "\"", "\\", " ", "\r", "\n", std::string(1, '\0'),
                                "x.test", "-", "\xC3\xA9", "\xFF", ",", "Name "};
  std::mt19937 rng(5321);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int i = 0, n = static_cast<int>(rng() % 12); i < n; ++i) text += pieces[rng() % std::size(pieces)];
    auto parsed = parse_mailbox(text);
    if (!parsed) continue;
    ++accepted;
    EXPECT_TRUE(is_valid_address(parsed->address)) << text;
    EXPECT_EQ(parsed->display_name.find_first_of(std::string_view("\r\n\0", 3)), std::string::npos) << text;
    EXPECT_EQ(parsed->address.find_first_of(std::string_view("\r\n\0<> ", 6)), std::string::npos) << text;
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace tern::mailer
