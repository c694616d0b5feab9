#include "mailer/smtp/command.hpp"

#include <gtest/gtest.h>

namespace tern::smtp {
namespace {

TEST(Command, MailFrom) {
  EXPECT_EQ(*mail_from_command("a@example.com"), "MAIL FROM:<a@example.com>\r\n");
  EXPECT_EQ(*mail_from_command(""), "MAIL FROM:<>\r\n");
  EXPECT_EQ(*mail_from_command("a@example.com", {1234, true}), "MAIL FROM:<a@example.com> SIZE=1234 SMTPUTF8\r\n");
}

TEST(Command, RcptTo) {
  EXPECT_EQ(*rcpt_to_command("b@example.org"), "RCPT TO:<b@example.org>\r\n");
  EXPECT_EQ(*rcpt_to_command("\"john doe\"@example.org"), "RCPT TO:<\"john doe\"@example.org>\r\n");
  EXPECT_FALSE(rcpt_to_command(""));
}

TEST(Command, RefusesSmuggling) {
  for (std::string bad : {std::string("a@b.c\r\nRCPT TO:<x@y.z"), std::string("a@b.c\n"), std::string("a\r@b.c"),
                          std::string("a@b.c\0x", 7), std::string("a@b.c> SIZE=1"), std::string("<a@b.c"),
                          std::string("a\t@b.c"), std::string("a\x7f@b.c")}) {
    auto mail = mail_from_command(bad);
    auto rcpt = rcpt_to_command(bad);
    ASSERT_FALSE(mail) << bad;
    ASSERT_FALSE(rcpt) << bad;
    EXPECT_EQ(mail.error().code, Errc::invalid_argument);
  }
}

TEST(Command, PathLengthLimit) {
  std::string longest = std::string(64, 'a') + "@" + std::string(189, 'b');  // 254 octets
  EXPECT_TRUE(rcpt_to_command(longest));
  EXPECT_FALSE(rcpt_to_command(longest + "b"));
}

TEST(Command, Greetings) {
  EXPECT_EQ(*ehlo_command("mail.example.com"), "EHLO mail.example.com\r\n");
  EXPECT_EQ(*helo_command("[127.0.0.1]"), "HELO [127.0.0.1]\r\n");
  EXPECT_FALSE(ehlo_command(""));
  EXPECT_FALSE(ehlo_command("a b"));
  EXPECT_FALSE(ehlo_command("a\r\nMAIL FROM:<>"));
  EXPECT_FALSE(ehlo_command(std::string(600, 'a')));
}

TEST(Command, Utf8Detection) {
  EXPECT_FALSE(needs_smtputf8("plain@example.com"));
  EXPECT_TRUE(needs_smtputf8("j\xc3\xb6rg@example.com"));
}

}  // namespace
}  // namespace tern::smtp
