// tag_list_test.cpp - the DKIM/DMARC tag-list syntax and the text helpers.
#include "dnscheck/tag_list.hpp"

#include <gtest/gtest.h>

namespace tern::dns {
namespace {

TEST(TagList, ParsesNamesAndValuesWithWhitespace) {
  auto tags = parse_tag_list(" v = DKIM1 ;\tk=rsa;  p=AB CD\r\n EF ;");
  ASSERT_TRUE(tags) << tags.error().message;
  ASSERT_EQ(tags->size(), 3u);
  EXPECT_EQ((*tags)[0].name, "v");
  EXPECT_EQ((*tags)[0].value, "DKIM1");
  EXPECT_EQ((*tags)[1].value, "rsa");
  EXPECT_EQ((*tags)[2].value, "AB CD\r\n EF");  // inner folding whitespace kept
}

TEST(TagList, EmptyValuesAndSegments) {
  auto tags = parse_tag_list("p=;;n=");
  ASSERT_TRUE(tags);
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ((*tags)[0].value, "");
  EXPECT_TRUE(parse_tag_list("")->empty());
}

TEST(TagList, RejectsMalformedLists) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"v=DKIM1; bogus", "name=value"},
      {"v=DKIM1; 1x=2", "tag name"},
      {"p=a; p=b", "appears twice"},
      {"n=caf\xc3\xa9", "non-ASCII"},
      {"n=a\x01", "control"},
      {"=x", "tag name"},
  };
  for (const Case& c : cases) {
    auto tags = parse_tag_list(c.text);
    ASSERT_FALSE(tags) << c.text;
    EXPECT_NE(tags.error().message.find(c.reason), std::string::npos) << c.text << ": " << tags.error().message;
  }
}

TEST(TextHelpers, CaseAndTrimAndSplit) {
  EXPECT_EQ(ascii_lower("V=SPF1 Include:X"), "v=spf1 include:x");
  EXPECT_TRUE(iequals("Reject", "reJECT"));
  EXPECT_FALSE(iequals("reject", "rejec"));
  EXPECT_TRUE(istarts_with("V=DMARC1;", "v=dmarc"));
  EXPECT_EQ(trim(" \t x y \r\n"), "x y");
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(shorten(std::string(100, 'x') + "END", 20).size(), 19u);
  EXPECT_EQ(shorten("short"), "short");
}

}  // namespace
}  // namespace tern::dns
