#include "mailer/message.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "mailer/header_encoding.hpp"
#include "mailer/transfer_encoding.hpp"
#include "store/util/encoding.hpp"
#include "tests/mailer/mail_parse.hpp"

namespace tern::mailer {
namespace {

using testing::header_names;
using testing::header_values;
using testing::parse_message;
using testing::wire_problem;

std::chrono::system_clock::time_point fixed_date() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5};
}

OutgoingMessage small_message() {
  OutgoingMessage m;
  m.from = {"Acme", "onboarding@acme.test"};
  m.to = {{"", "user@example.com"}};
  m.subject = "Hello";
  m.text = "Hi there.\n";
  m.message_id = "<abc@tern.test>";
  m.date = fixed_date();
  m.mime_boundary_seed = "seed";
  return m;
}

std::string expected_boundary(std::string_view seed) { return "=_tern_" + hex_encode(sha256(seed).substr(0, 16)); }

TEST(BuildMessage, GoldenSinglePart) {
  EXPECT_EQ(build_message(small_message()),
            "From: Acme <onboarding@acme.test>\r\n"
            "To: user@example.com\r\n"
            "Subject: Hello\r\n"
            "Date: Fri, 2 Jan 2026 03:04:05 +0000\r\n"
            "Message-ID: <abc@tern.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hi there.\r\n");
}

TEST(BuildMessage, GoldenAlternative) {
  OutgoingMessage m = small_message();
  m.cc = {{"Carol", "carol@example.com"}};
  m.reply_to = {{"", "support@acme.test"}};
  m.html = "<p>Hi there.</p>";
  m.headers = {{"X-Entity-Ref-ID", "42"}};
  const std::string b = expected_boundary("seed");
  EXPECT_EQ(build_message(m),
            "From: Acme <onboarding@acme.test>\r\n"
            "To: user@example.com\r\n"
            "Cc: Carol <carol@example.com>\r\n"
            "Reply-To: support@acme.test\r\n"
            "Subject: Hello\r\n"
            "Date: Fri, 2 Jan 2026 03:04:05 +0000\r\n"
            "Message-ID: <abc@tern.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "X-Entity-Ref-ID: 42\r\n"
            "Content-Type: multipart/alternative;\r\n"
            " boundary=\"" + b + "\"\r\n"
            "\r\n"
            "--" + b + "\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hi there.\r\n"
            "\r\n"
            "--" + b + "\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "<p>Hi there.</p>\r\n"
            "--" + b + "--\r\n");
}

TEST(BuildMessage, HtmlOnly) {
  OutgoingMessage m = small_message();
  m.text.reset();
  m.html = "<b>x=1</b>";
  auto parsed = parse_message(build_message(m));
  EXPECT_EQ(header_values(parsed, "Content-Type"), std::vector<std::string>{"text/html; charset=utf-8"});
  EXPECT_EQ(parsed.body, "<b>x=3D1</b>\r\n");
}

TEST(BuildMessage, NeitherTextNorHtmlGivesEmptyTextPart) {
  OutgoingMessage m = small_message();
  m.text.reset();
  const std::string msg = build_message(m);
  auto parsed = parse_message(msg);
  EXPECT_EQ(header_values(parsed, "Content-Type"), std::vector<std::string>{"text/plain; charset=utf-8"});
  EXPECT_EQ(parsed.body, "");
  EXPECT_EQ(wire_problem(msg), "");
}

TEST(BuildMessage, EmptySubjectIsEmitted) {
  OutgoingMessage m = small_message();
  m.subject = "";
  EXPECT_NE(build_message(m).find("\r\nSubject: \r\nDate: "), std::string::npos);
}

TEST(BuildMessage, HeaderOrder) {
  OutgoingMessage m = small_message();
  m.cc = {{"", "c@example.com"}};
  m.reply_to = {{"", "r@example.com"}};
  m.headers = {{"X-B", "2"}, {"X-A", "1"}};
  m.html = "<p>x</p>";
  auto parsed = parse_message(build_message(m));
  EXPECT_EQ(header_names(parsed), (std::vector<std::string>{"From", "To", "Cc", "Reply-To", "Subject", "Date",
                                                             "Message-ID", "MIME-Version", "X-B", "X-A",
                                                             "Content-Type"}));
}

TEST(BuildMessage, NoBccEvenWhenAskedThroughCustomHeaders) {
  OutgoingMessage m = small_message();
  m.headers = {{"Bcc", "hidden@example.com"}, {"bcc", "x@example.com"}, {"From", "evil@example.com"},
               {"X-Ok", "fine"}, {"X-Inject", "a\r\nBcc: y@example.com"}, {"Bad Name", "v"}};
  const std::string msg = build_message(m);
  auto parsed = parse_message(msg);
  EXPECT_TRUE(header_values(parsed, "Bcc").empty());
  EXPECT_EQ(header_values(parsed, "From").size(), 1u);
  EXPECT_EQ(header_values(parsed, "X-Ok"), std::vector<std::string>{"fine"});
  EXPECT_TRUE(header_values(parsed, "X-Inject").empty());
  EXPECT_EQ(msg.find("hidden@"), std::string::npos);
  EXPECT_EQ(msg.find("\nBcc"), std::string::npos);
}

TEST(BuildMessage, SubjectInjectionStaysInsideSubject) {
  OutgoingMessage m = small_message();
  m.subject = "Subject\r\nBcc: x@example.com";
  m.from.display_name = "Evil\r\nBcc: y@example.com";
  const std::string msg = build_message(m);
  EXPECT_EQ(wire_problem(msg), "");
  auto parsed = parse_message(msg);
  EXPECT_TRUE(header_values(parsed, "Bcc").empty());
  EXPECT_EQ(header_values(parsed, "Subject"), std::vector<std::string>{"Subject  Bcc: x@example.com"});
}

TEST(BuildMessage, NonAsciiSubjectAndNamesAreEncodedWords) {
  OutgoingMessage m = small_message();
  m.subject = "\xF0\x9F\x8E\x89 Willkommen bei M\xC3\xBCller & S\xC3\xB6hne \xE2\x80\x94 \xE6\xAC\xA2\xE8\xBF\x8E "
              "e\xCC\x81t\xC3\xA9 \xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80";
  m.from.display_name = "\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E";
  m.to = {{"Zo\xC3\xAB", "zoe@example.com"}};
  m.headers = {{"X-Campaign", "\xC3\xA9t\xC3\xA9 2026"}};
  const std::string msg = build_message(m);
  EXPECT_EQ(wire_problem(msg), "");
  auto parsed = parse_message(msg);
  ASSERT_EQ(header_values(parsed, "Subject").size(), 1u);
  EXPECT_EQ(decode_encoded_words(header_values(parsed, "Subject")[0]), m.subject);
  EXPECT_EQ(decode_encoded_words(header_values(parsed, "From")[0]), m.from.display_name + " <onboarding@acme.test>");
  EXPECT_EQ(decode_encoded_words(header_values(parsed, "To")[0]), "Zo\xC3\xAB <zoe@example.com>");
  EXPECT_EQ(decode_encoded_words(header_values(parsed, "X-Campaign")[0]), "\xC3\xA9t\xC3\xA9 2026");
  const std::string head = msg.substr(0, msg.find("\r\n\r\n") + 2);
  for (std::size_t pos = 0; pos < head.size();) {
    const std::size_t end = head.find("\r\n", pos);
    EXPECT_LE(end - pos, 78u) << head.substr(pos, end - pos);
    pos = end + 2;
  }
}

TEST(BuildMessage, IdnDomainsGoOutAsALabels) {
  OutgoingMessage m = small_message();
  m.to = {{"", "kunde@b\xC3\xBC" "cher.example"}};
  const std::string msg = build_message(m);
  EXPECT_EQ(wire_problem(msg), "");
  EXPECT_EQ(header_values(parse_message(msg), "To"), std::vector<std::string>{"kunde@xn--bcher-kva.example"});
}

TEST(BuildMessage, LongAddressListsAreFolded) {
  OutgoingMessage m = small_message();
  m.to.clear();
  for (int i = 0; i < 50; ++i) m.to.push_back({"Recipient Number " + std::to_string(i), "r" + std::to_string(i) + "@example.com"});
  const std::string msg = build_message(m);
  EXPECT_EQ(wire_problem(msg, 78), "");
  auto parsed = parse_message(msg);
  ASSERT_EQ(header_values(parsed, "To").size(), 1u);
  const std::string to = header_values(parsed, "To")[0];
  EXPECT_EQ(to.rfind("Recipient Number 0 <r0@example.com>, Recipient Number 1 <r1@example.com>,", 0), 0u);
}

TEST(BuildMessage, AwkwardBodiesSurviveTheWire) {
  OutgoingMessage m = small_message();
  m.text = ".\nFrom the desk of\r..leading dots\n" + std::string(3000, 'L') + "\ntrailing space \n\r\n";
  m.html = "<p>\xE4\xB8\xAD\xE6\x96\x87</p>\n.\n" + std::string(1200, 'h');
  const std::string msg = build_message(m);
  EXPECT_EQ(wire_problem(msg), "");
  EXPECT_EQ(msg.find("\r\n.\r\n"), std::string::npos);
  EXPECT_EQ(msg.find("\r\nFrom the"), std::string::npos);
  auto parsed = parse_message(msg);
  auto parts = testing::multipart_bodies(parsed.body, expected_boundary("seed"));
  ASSERT_EQ(parts.size(), 2u);
  auto text_part = parse_message(parts[0]);
  auto html_part = parse_message(parts[1]);
  EXPECT_EQ(decode_quoted_printable(text_part.body), normalize_crlf(*m.text));
  EXPECT_EQ(decode_quoted_printable(html_part.body), normalize_crlf(*m.html));
}

TEST(BuildMessage, BoundaryIsDeterministicOnlyWithASeed) {
  OutgoingMessage m = small_message();
  m.html = "<p>x</p>";
  EXPECT_EQ(build_message(m), build_message(m));
  m.mime_boundary_seed.clear();
  const std::string a = build_message(m), b = build_message(m);
  EXPECT_NE(a, b);
  EXPECT_NE(a.find("boundary=\"=_tern_"), std::string::npos);
}

// A random-message property check: whatever goes in, the wire format holds.
class RandomMessages : public ::testing::Test {
 protected:
  std::mt19937 rng{5321};
  const std::vector<std::string> alphabet = {"a", "Z", "0", " ", "  ", "\t", "\r", "\n", "\r\n", ".", "From ", "=",
                                             "=?", "?=", "=_tern_", "\"", "\\", ",", "<", ">", "\xC3\xA9",
                                             "\xF0\x9F\x98\x80", "\xE4\xB8\xAD", "e\xCC\x81", "\xE2\x80\xA8",
                                             "\xFF", std::string(1, '\0'), std::string(120, 'w'), "Bcc: x"};

  std::string random_text(int max_tokens) {
    std::string out;
    const int n = static_cast<int>(rng() % static_cast<unsigned>(max_tokens + 1));
    for (int i = 0; i < n; ++i) out += alphabet[rng() % alphabet.size()];
    return out;
  }

  Mailbox random_mailbox(int i) { return {random_text(8), "user" + std::to_string(i) + "@example.com"}; }
};

TEST_F(RandomMessages, WireInvariantsHold) {
  for (int round = 0; round < 400; ++round) {
    OutgoingMessage m = small_message();
    m.from = random_mailbox(0);
    m.to.clear();
    for (int i = 0, n = 1 + static_cast<int>(rng() % 6); i < n; ++i) m.to.push_back(random_mailbox(i));
    if (rng() % 2) m.cc = {random_mailbox(99)};
    m.subject = random_text(40);
    if (rng() % 3) m.text = random_text(200); else m.text.reset();
    if (rng() % 3) m.html = random_text(200); else m.html.reset();
    m.headers = {{"X-Random", random_text(30)}};
    m.mime_boundary_seed = std::to_string(round);

    const std::string msg = build_message(m);
    ASSERT_EQ(wire_problem(msg), "") << "round " << round << "\n" << msg;
    auto parsed = parse_message(msg);
    for (const auto& name : header_names(parsed)) ASSERT_NE(name, "Bcc") << "round " << round;
    ASSERT_EQ(header_values(parsed, "From").size(), 1u) << msg;
    ASSERT_EQ(header_values(parsed, "Subject").size(), 1u) << msg;
    EXPECT_EQ(decode_encoded_words(header_values(parsed, "Subject")[0]), sanitize_header_text(m.subject))
        << "round " << round;
    if (m.text && m.html) {
      auto parts = testing::multipart_bodies(parsed.body, expected_boundary(m.mime_boundary_seed));
      ASSERT_EQ(parts.size(), 2u) << msg;
      EXPECT_EQ(decode_quoted_printable(parse_message(parts[0]).body), normalize_crlf(*m.text));
      EXPECT_EQ(decode_quoted_printable(parse_message(parts[1]).body), normalize_crlf(*m.html));
    } else {
      std::string expected = normalize_crlf(m.html ? *m.html : m.text.value_or(""));
      if (!expected.empty() && !expected.ends_with("\r\n")) expected += "\r\n";
      EXPECT_EQ(decode_quoted_printable(parsed.body), expected) << "round " << round;
    }
  }
}

TEST(ValidateCustomHeader, AcceptsOrdinaryHeaders) {
  EXPECT_TRUE(validate_custom_header("X-Entity-Ref-ID", "123"));
  EXPECT_TRUE(validate_custom_header("List-Unsubscribe", "<https://acme.test/u?id=1>"));
  EXPECT_TRUE(validate_custom_header("X-Empty", ""));
  EXPECT_TRUE(validate_custom_header("X-Utf8", "\xC3\xA9t\xC3\xA9"));
  EXPECT_TRUE(validate_custom_header(std::string(76, 'X'), "v"));
  EXPECT_TRUE(validate_custom_header("X-Long", std::string(998, 'v')));
}

TEST(ValidateCustomHeader, RejectsBadNames) {
  for (std::string name : {std::string(), std::string(77, 'X'), std::string("X Space"), std::string("X:Colon"),
                           std::string("X-\xC3\xA9"), std::string("X-Tab\t"), std::string("X\x7F")}) {
    auto r = validate_custom_header(name, "v");
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
  }
}

TEST(ValidateCustomHeader, RejectsOwnedNamesCaseInsensitively) {
  for (const char* name : {"From", "to", "CC", "bcc", "Sender", "SUBJECT", "date", "Message-Id", "mime-version",
                           "Content-Type", "content-transfer-encoding", "Content-Anything", "Return-Path",
                           "Received", "DKIM-Signature", "reply-to"}) {
    EXPECT_FALSE(validate_custom_header(name, "v")) << name;
  }
  EXPECT_TRUE(validate_custom_header("X-Content-Type", "v"));
  EXPECT_TRUE(validate_custom_header("Contents", "v"));
}

TEST(ValidateCustomHeader, RejectsInjectionInValues) {
  EXPECT_FALSE(validate_custom_header("X-A", "a\r\nBcc: x"));
  EXPECT_FALSE(validate_custom_header("X-A", "a\nb"));
  EXPECT_FALSE(validate_custom_header("X-A", "a\rb"));
  EXPECT_FALSE(validate_custom_header("X-A", std::string("a\0b", 3)));
  EXPECT_FALSE(validate_custom_header("X-A", std::string(999, 'v')));
  EXPECT_FALSE(validate_custom_header("X-A", "bad\xFFutf8"));
}

TEST(MakeMessageId, Shape) {
  EXPECT_EQ(make_message_id("0b6f1a2c-3d4e", "mail.tern.test"), "<0b6f1a2c-3d4e@mail.tern.test>");
}

TEST(MakeMessageId, CleansHostileInput) {
  EXPECT_EQ(make_message_id("a<b>\r\n..c.", ".host..name."), "<ab.c@host.name>");
  EXPECT_EQ(make_message_id("id", ""), "<id@localhost>");
}

TEST(MakeMessageId, EmptyUniquePartIsRandom) {
  const std::string a = make_message_id("", "h.test"), b = make_message_id("@@", "h.test");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 1 + 32 + 1 + 6 + 1);
}

TEST(MakeMessageId, BoundedLength) {
  EXPECT_LE(make_message_id(std::string(5000, 'u'), std::string(5000, 'h')).size(), 400u);
}

}  // namespace
}  // namespace tern::mailer
