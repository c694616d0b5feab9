// signature_test.cpp - DKIM-Signature text: tag order, folding, and b=
// removal as hashed (RFC 6376 §3.5, §3.7).
#include "mailer/dkim/signature.hpp"

#include <gtest/gtest.h>

namespace tern::dkim {
namespace {

Signature sample(std::string b) {
  Signature s;
  s.d = "example.com";
  s.s = "tern1";
  s.t = 1700000000;
  s.h = {"from", "to", "subject", "date", "message-id", "mime-version", "content-type",
         "from", "to", "subject", "date", "message-id", "mime-version", "content-type"};
  s.bh = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  s.b = std::move(b);
  return s;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\r\n", pos);
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

TEST(Signature, EmptyBIsTheFinalHeaderWithBRemoved) {
  std::string empty = sample("").to_header();
  std::string full = sample(std::string(344, 'A')).to_header();
  ASSERT_EQ(empty.substr(empty.size() - 5), " b=\r\n");
  EXPECT_EQ(full.substr(0, empty.size() - 2), empty.substr(0, empty.size() - 2));
  auto full_field = parse_header_field(full);
  auto empty_field = parse_header_field(empty);
  ASSERT_TRUE(full_field && empty_field);
  EXPECT_EQ(without_b_value(full_field->value), empty_field->value);
}

TEST(Signature, FoldsNear78ColumnsAndEndsInCrlf) {
  std::string text = sample(std::string(344, 'A')).to_header();
  ASSERT_EQ(text.substr(text.size() - 2), "\r\n");
  for (const auto& line : lines_of(text)) {
    EXPECT_LE(line.size(), 78u) << line;
    EXPECT_FALSE(line.empty());
  }
  EXPECT_EQ(text.find("l="), std::string::npos);
}

TEST(Signature, RelaxedFormReadsAsTags) {
  auto field = parse_header_field(sample("").to_header());
  ASSERT_TRUE(field.has_value());
  EXPECT_EQ(canon_header_relaxed(field->name, field->value),
            "dkim-signature:v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=tern1; t=1700000000; "
            "h=from:to:subject:date:message-id:mime-version:content-type: from:to:subject:date:"
            "message-id:mime-version:content-type; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=");
}

TEST(Signature, GoldenText) {
  EXPECT_EQ(sample("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/0123456789ab").to_header(),
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=tern1;\r\n"
            " t=1700000000; h=from:to:subject:date:message-id:mime-version:content-type:\r\n"
            " from:to:subject:date:message-id:mime-version:content-type;\r\n"
            " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
            " b=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/01234567\r\n"
            " 89ab\r\n");
}

TEST(Signature, CanonTag) {
  Signature s;
  EXPECT_EQ(s.c(), "relaxed/relaxed");
  s.body_canon = Canon::simple;
  EXPECT_EQ(s.c(), "relaxed/simple");
}

TEST(WithoutBValue, RemovesOnlyTheBValue) {
  EXPECT_EQ(without_b_value(" v=1; bh=abc; b=XYZ\r\n 123"), " v=1; bh=abc; b=");
  EXPECT_EQ(without_b_value("v=1; b = XYZ ; bh=abc"), "v=1; b =; bh=abc");
  EXPECT_EQ(without_b_value("b=XYZ;v=1"), "b=;v=1");
  EXPECT_EQ(without_b_value("v=1; d=b.example"), "v=1; d=b.example");
}

}  // namespace
}  // namespace tern::dkim
