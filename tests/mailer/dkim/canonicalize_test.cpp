// canonicalize_test.cpp - RFC 6376 §3.4 canonicalization, including the
// §3.4.6 examples, the empty-body hashes and the awkward cases.
#include "mailer/dkim/canonicalize.hpp"

#include <gtest/gtest.h>

#include "store/util/encoding.hpp"

namespace tern::dkim {
namespace {

std::string relaxed_headers(std::string_view block) {
  auto split = split_message(block);
  EXPECT_TRUE(split.has_value());
  std::string out;
  for (const auto& field : split->headers) out += canon_header_relaxed(field.name, field.value) + "\r\n";
  return out;
}

TEST(Canonicalize, Rfc6376Section346RelaxedHeaders) {
  EXPECT_EQ(relaxed_headers("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n"), "a:X\r\nb:Y Z\r\n");
}

TEST(Canonicalize, Rfc6376Section346RelaxedBody) {
  EXPECT_EQ(canon_body_relaxed(" C \r\nD \t E\r\n\r\n\r\n"), " C\r\nD E\r\n");
}

TEST(Canonicalize, Rfc6376Section346SimpleKeepsEverythingButTrailingEmptyLines) {
  EXPECT_EQ(canon_header_simple("B ", " Y\t\r\n\tZ  "), "B : Y\t\r\n\tZ  ");
  EXPECT_EQ(canon_body_simple(" C \r\nD \t E\r\n\r\n\r\n"), " C \r\nD \t E\r\n");
}

TEST(Canonicalize, EmptyBodyHashes) {
  EXPECT_EQ(canon_body_relaxed(""), "");
  EXPECT_EQ(canon_body_simple(""), "\r\n");
  EXPECT_EQ(base64_encode(sha256(canon_body_relaxed(""))), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(base64_encode(sha256(canon_body_simple(""))), "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
}

TEST(Canonicalize, BodyOfOnlyEmptyLines) {
  EXPECT_EQ(canon_body_relaxed("\r\n\r\n\r\n"), "");
  EXPECT_EQ(canon_body_relaxed(" \t\r\n\t\r\n"), "");
  EXPECT_EQ(canon_body_simple("\r\n\r\n\r\n"), "\r\n");
  EXPECT_EQ(canon_body(Canon::relaxed, "\r\n"), "");
  EXPECT_EQ(canon_body(Canon::simple, "\r\n"), "\r\n");
}

TEST(Canonicalize, TrailingWhitespaceOnLines) {
  EXPECT_EQ(canon_body_relaxed("a  \r\nb\t\r\n"), "a\r\nb\r\n");
  EXPECT_EQ(canon_body_simple("a  \r\nb\t\r\n"), "a  \r\nb\t\r\n");
  // Leading whitespace is collapsed, not removed.
  EXPECT_EQ(canon_body_relaxed("\t\t x\r\n"), " x\r\n");
}

TEST(Canonicalize, MissingFinalCrlfIsAdded) {
  EXPECT_EQ(canon_body_relaxed("Hi.\r\nBye."), "Hi.\r\nBye.\r\n");
  EXPECT_EQ(canon_body_simple("Hi.\r\nBye."), "Hi.\r\nBye.\r\n");
  EXPECT_EQ(canon_body_relaxed("Bye.  "), "Bye.\r\n");
}

TEST(Canonicalize, InnerEmptyLinesStay) {
  EXPECT_EQ(canon_body_relaxed("a\r\n\r\n \r\nb\r\n\r\n"), "a\r\n\r\n\r\nb\r\n");
}

TEST(Canonicalize, LongLinesAreUntouched) {
  std::string line(5000, 'x');
  EXPECT_EQ(canon_body_relaxed(line + "\r\n"), line + "\r\n");
  EXPECT_EQ(canon_body_simple(line), line + "\r\n");
}

TEST(Canonicalize, DotsAreNotSpecial) {
  EXPECT_EQ(canon_body_relaxed(".\r\n..x\r\n"), ".\r\n..x\r\n");
}

TEST(Canonicalize, HeaderNameCaseAndSpaces) {
  EXPECT_EQ(canon_header_relaxed("SUBJECT", " Hello World"), "subject:Hello World");
  EXPECT_EQ(canon_header_relaxed("Message-ID", "<a@b>"), "message-id:<a@b>");
  EXPECT_EQ(canon_header_relaxed("X-Empty", ""), "x-empty:");
  EXPECT_EQ(canon_header_relaxed("X-Blank", " \t "), "x-blank:");
  EXPECT_EQ(canon_header_simple("SUBJECT", " Hello  World"), "SUBJECT: Hello  World");
}

TEST(Canonicalize, FoldedHeaderIsUnfolded) {
  auto field = parse_header_field("To: a@example.com,\r\n\tb@example.com,\r\n   c@example.com\r\n");
  ASSERT_TRUE(field.has_value());
  EXPECT_EQ(field->name, "To");
  EXPECT_EQ(canon_header(Canon::relaxed, *field), "to:a@example.com, b@example.com, c@example.com");
  EXPECT_EQ(canon_header(Canon::simple, *field), "To: a@example.com,\r\n\tb@example.com,\r\n   c@example.com");
}

TEST(Canonicalize, EncodedWordsAreOpaque) {
  EXPECT_EQ(canon_header_relaxed("Subject", " =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n =?utf-8?q?_aus_K=C3=B6ln?="),
            "subject:=?utf-8?q?Gr=C3=BC=C3=9Fe?= =?utf-8?q?_aus_K=C3=B6ln?=");
}

TEST(SplitMessage, HeadersAndBody) {
  auto split = split_message("From: a@b\r\nSubject: x\r\n y\r\n\r\nbody\r\n\r\nmore\r\n");
  ASSERT_TRUE(split.has_value());
  ASSERT_EQ(split->headers.size(), 2u);
  EXPECT_EQ(split->headers[0].name, "From");
  EXPECT_EQ(split->headers[0].value, " a@b");
  EXPECT_EQ(split->headers[1].value, " x\r\n y");
  EXPECT_EQ(split->body, "body\r\n\r\nmore\r\n");
}

TEST(SplitMessage, HeadersOnlyHasEmptyBody) {
  auto split = split_message("From: a@b\r\nTo: c@d\r\n");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->headers.size(), 2u);
  EXPECT_TRUE(split->body.empty());
}

TEST(SplitMessage, RejectsBrokenHeaderSection) {
  EXPECT_FALSE(split_message(" leading continuation\r\n\r\n").has_value());
  EXPECT_FALSE(split_message("no colon here\r\n\r\n").has_value());
  EXPECT_FALSE(parse_header_field(": no name").has_value());
  EXPECT_FALSE(split_message("From: a@b\nTo: c@d\n\nbody\n").has_value());
}

TEST(EqualsIgnoreCase, AsciiOnly) {
  EXPECT_TRUE(equals_ignore_case("Message-ID", "message-id"));
  EXPECT_FALSE(equals_ignore_case("From", "Fro"));
  EXPECT_FALSE(equals_ignore_case("From", "Form"));
}

}  // namespace
}  // namespace tern::dkim
