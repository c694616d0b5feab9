// dsn_parse_test.cpp - DSN and ARF parsing over real-world-shaped samples
// in tests/data/dsn/ (Postfix, Gmail, the RFC 5965 example).
#include "mailer/dsn_parse.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace tern::mailer {
namespace {

std::string sample(const std::string& name) {
  std::ifstream in(std::string(TERN_SOURCE_DIR) + "/tests/data/dsn/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string to_crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

TEST(DsnParse, PostfixBounce) {
  for (const auto& text : {sample("postfix_bounce.eml"), to_crlf(sample("postfix_bounce.eml"))}) {
    auto r = parse_report(text);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->kind, ReportKind::delivery_status);
    EXPECT_EQ(r->reporting_mta, "mx.example.org");
    ASSERT_EQ(r->recipients.size(), 1u);
    const DsnRecipient& rcpt = r->recipients[0];
    EXPECT_EQ(rcpt.final_recipient, "nobody@example.org");
    EXPECT_EQ(rcpt.original_recipient, "Nobody@Example.org");
    EXPECT_EQ(rcpt.action, DsnAction::failed);
    EXPECT_EQ(rcpt.status, "5.1.1");
    EXPECT_EQ(rcpt.diagnostic_type, "smtp");
    EXPECT_EQ(rcpt.diagnostic_code,
              "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table");
    EXPECT_EQ(rcpt.remote_mta, "mailstore.example.org");
    EXPECT_EQ(r->original_message_id, "<0b6c7d2e-3f4a-4b5c-8d6e-7f8091a2b3c4@mail.tern.test>");
  }
}

TEST(DsnParse, ControlCharactersFromTheRemoteSideNeverReachAField) {
  std::string text = to_crlf(sample("postfix_bounce.eml"));
  const std::string code = "Diagnostic-Code: smtp; 550 5.1.1";
  auto pos = text.find(code);
  ASSERT_NE(pos, std::string::npos);
  text.insert(pos + code.size(), std::string("\rInjected: yes\0\x7f", 16));
  auto r = parse_report(text);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->recipients.size(), 1u);
  const std::string& diag = r->recipients[0].diagnostic_code;
  for (char c : diag) EXPECT_FALSE(c == '\r' || c == '\0' || c == '\x7f') << diag;
  EXPECT_NE(diag.find("550 5.1.1 Injected: yes"), std::string::npos) << diag;
}

TEST(DsnParse, GmailBounceWithNestedHumanPart) {
  auto r = parse_report(sample("gmail_bounce.eml"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, ReportKind::delivery_status);
  EXPECT_EQ(r->reporting_mta, "googlemail.com");
  ASSERT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->recipients[0].final_recipient, "someone.one@gmail.com");
  EXPECT_EQ(r->recipients[0].action, DsnAction::failed);
  EXPECT_EQ(r->recipients[0].status, "5.1.1");
  EXPECT_EQ(r->recipients[0].diagnostic_code.substr(0, 27), "550-5.1.1 The email account");
  EXPECT_EQ(r->original_message_id, "<1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5@mail.tern.test>");
}

TEST(DsnParse, Rfc5965AbuseReport) {
  auto r = parse_report(sample("arf_rfc5965.eml"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, ReportKind::feedback);
  EXPECT_EQ(r->feedback_type, "abuse");
  EXPECT_EQ(r->original_rcpt_to, std::vector<std::string>{"user@example.com"});
  EXPECT_EQ(r->original_mail_from, "bounces+2e3f4051-6b7c-4d8e-9fa0-b1c2d3e4f5a6@mail.tern.test");
  EXPECT_EQ(r->original_message_id, "8787KJKJ3K4J3K4J3K4J3.mail@example.net");
  EXPECT_TRUE(r->recipients.empty());
}

TEST(DsnParse, DelayedWarningWithBase64StatusPart) {
  auto r = parse_report(sample("postfix_delayed.eml"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->recipients[0].final_recipient, "slow@example.org");
  EXPECT_EQ(r->recipients[0].action, DsnAction::delayed);
  EXPECT_EQ(r->recipients[0].status, "4.4.1");
  EXPECT_EQ(r->recipients[0].diagnostic_type, "x-postfix");
}

TEST(DsnParse, ReportWrappedInMultipartMixed) {
  std::string inner = sample("postfix_bounce.eml");
  std::string wrapped =
      "From: forwarder@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n"
      "--outer\nContent-Type: text/plain\n\nforwarded bounce below\n--outer\n" +
      inner + "\n--outer--\n";
  auto r = parse_report(wrapped);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->recipients[0].final_recipient, "nobody@example.org");
}

TEST(DsnParse, SeveralRecipientsAndStatusComments) {
  std::string text =
      "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nhi\n"
      "--b\nContent-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; mx.test\n\n\n"
      "Final-Recipient: rfc822; <a@x.test>\nAction: failed\nStatus: 5.2.2 (mailbox full)\n\n"
      "Final-Recipient: rfc822;b@x.test\nAction: Delivered\nStatus: 2.0.0\n\n"
      "Final-Recipient: rfc822; c@x.test\nAction: weird\nStatus: 9.9\n"
      "--b--\n";
  auto r = parse_report(text);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->recipients.size(), 3u);
  EXPECT_EQ(r->recipients[0].final_recipient, "a@x.test");
  EXPECT_EQ(r->recipients[0].status, "5.2.2");
  EXPECT_EQ(r->recipients[1].action, DsnAction::delivered);
  EXPECT_EQ(r->recipients[2].action, DsnAction::unknown);
  EXPECT_EQ(r->recipients[2].status, "");
  EXPECT_TRUE(r->original_message_id.empty());
}

TEST(DsnParse, RefusesWhatIsNotAReport) {
  EXPECT_FALSE(parse_report(sample("not_a_report.eml")));
  EXPECT_FALSE(parse_report(""));
  EXPECT_FALSE(parse_report("garbage without headers"));
  // multipart/report without a status part
  EXPECT_FALSE(parse_report("Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n--b--\n"));
  // a DSN without any recipient block
  EXPECT_FALSE(parse_report("Content-Type: multipart/report; boundary=b\n\n--b\n"
                            "Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n--b--\n"));
  // ARF without Feedback-Type
  EXPECT_FALSE(parse_report("Content-Type: multipart/report; boundary=b\n\n--b\n"
                            "Content-Type: message/feedback-report\n\nUser-Agent: x\n--b--\n"));
  // no boundary
  EXPECT_FALSE(parse_report("Content-Type: multipart/report\n\n--b\n--b--\n"));
}

TEST(DsnParse, EnforcesLimits) {
  std::string bounce = sample("postfix_bounce.eml");
  ReportLimits small;
  small.max_bytes = bounce.size() - 1;
  EXPECT_FALSE(parse_report(bounce, small));

  // Deep nesting: each level a multipart/mixed holding the next.
  std::string deep = bounce;
  for (int i = 0; i < 6; ++i)
    deep = "Content-Type: multipart/mixed; boundary=n" + std::to_string(i) + "\n\n--n" + std::to_string(i) + "\n" +
           deep + "\n--n" + std::to_string(i) + "--\n";
  auto r = parse_report(deep);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("deep"), std::string::npos);

  ReportLimits few_parts;
  few_parts.max_parts = 2;
  EXPECT_FALSE(parse_report(bounce, few_parts));

  ReportLimits one_rcpt;
  one_rcpt.max_recipients = 1;
  std::string two = "Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n"
                    "Final-Recipient: rfc822; a@x\nAction: failed\n\nFinal-Recipient: rfc822; b@x\nAction: failed\n--b--\n";
  EXPECT_FALSE(parse_report(two, one_rcpt));
  EXPECT_TRUE(parse_report(two));
}

TEST(DsnParse, SurvivesMangledInput) {
  // Fuzz-style: truncations and byte flips of every sample must not crash.
  for (const auto& name : {"postfix_bounce.eml", "gmail_bounce.eml", "arf_rfc5965.eml", "postfix_delayed.eml"}) {
    std::string text = sample(name);
    for (std::size_t cut = 0; cut < text.size(); cut += 37) (void)parse_report(std::string_view(text).substr(0, cut));
    for (std::size_t i = 0; i < text.size(); i += 53) {
      std::string flipped = text;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
      (void)parse_report(flipped);
    }
  }
  SUCCEED();
}

}  // namespace
}  // namespace tern::mailer
