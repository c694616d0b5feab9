#include "mailer/smtp/reply_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::smtp {
namespace {

// parse_all - feed everything in one go, collect replies until more bytes are needed or an error.
struct Parsed {
  std::vector<Reply> replies;
  std::optional<Error> error;
};

Parsed parse_all(ReplyParser& parser) {
  Parsed out;
  for (;;) {
    auto next = parser.next();
    if (!next) {
      out.error = next.error();
      return out;
    }
    if (!*next) return out;
    out.replies.push_back(**next);
  }
}

Parsed parse(std::string_view bytes) {
  ReplyParser parser;
  parser.feed(bytes);
  return parse_all(parser);
}

TEST(ReplyParser, SingleLineWithEnhancedCode) {
  Parsed p = parse("550 5.1.1 <bob@example.com>: user unknown\r\n");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.replies.size(), 1u);
  const Reply& r = p.replies[0];
  EXPECT_EQ(r.code, 550);
  ASSERT_TRUE(r.enhanced);
  EXPECT_EQ(r.enhanced->to_string(), "5.1.1");
  EXPECT_EQ(r.lines, std::vector<std::string>{"5.1.1 <bob@example.com>: user unknown"});
  EXPECT_EQ(r.to_string(), "550 5.1.1 <bob@example.com>: user unknown");
}

TEST(ReplyParser, MultiLineEhlo) {
  Parsed p = parse("250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].code, 250);
  EXPECT_EQ(p.replies[0].lines,
            (std::vector<std::string>{"mx.example.com Hello", "PIPELINING", "SIZE 1000", "STARTTLS"}));
  EXPECT_FALSE(p.replies[0].enhanced);
}

TEST(ReplyParser, BareCodeEndsAMultiLineReply) {
  Parsed p = parse("250-first\r\n250\r\n");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].lines, (std::vector<std::string>{"first", ""}));
}

TEST(ReplyParser, BareCodeAlone) {
  Parsed p = parse("354\r\n");
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].code, 354);
  EXPECT_EQ(p.replies[0].to_string(), "354");
}

TEST(ReplyParser, SeveralRepliesInOneChunkKeepOrder) {
  Parsed p = parse("250 2.1.0 ok\r\n550 5.1.1 no\r\n451 4.3.0 later\r\n354 go\r\n");
  ASSERT_EQ(p.replies.size(), 4u);
  EXPECT_EQ(p.replies[0].code, 250);
  EXPECT_EQ(p.replies[1].code, 550);
  EXPECT_EQ(p.replies[2].code, 451);
  EXPECT_EQ(p.replies[3].code, 354);
}

TEST(ReplyParser, BareLfAcceptedAsLineEnd) {
  Parsed p = parse("250-a\n250 b\n");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].lines, (std::vector<std::string>{"a", "b"}));
}

TEST(ReplyParser, SplitAtEveryBytePositionGivesTheSameReplies) {
  const std::string bytes = "250-mx Hello\r\n250-8BITMIME\r\n250 2.0.0 SIZE 5\r\n550 5.7.1 denied\r\n";
  Parsed whole = parse(bytes);
  ASSERT_EQ(whole.replies.size(), 2u);
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    for (std::size_t cut2 = cut; cut2 <= bytes.size(); ++cut2) {
      ReplyParser parser;
      parser.feed(std::string_view(bytes).substr(0, cut));
      parser.feed(std::string_view(bytes).substr(cut, cut2 - cut));
      parser.feed(std::string_view(bytes).substr(cut2));
      Parsed p = parse_all(parser);
      ASSERT_FALSE(p.error) << cut << "/" << cut2;
      ASSERT_EQ(p.replies.size(), 2u) << cut << "/" << cut2;
      EXPECT_EQ(p.replies[0].lines, whole.replies[0].lines);
      EXPECT_EQ(p.replies[1].to_string(), "550 5.7.1 denied");
      EXPECT_TRUE(parser.idle());
    }
  }
}

TEST(ReplyParser, ByteByByteReportsNothingUntilComplete) {
  const std::string bytes = "220-a\r\n220 b\r\n";
  ReplyParser parser;
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    parser.feed(bytes.substr(i, 1));
    auto next = parser.next();
    ASSERT_TRUE(next);
    EXPECT_FALSE(*next) << "complete after byte " << i;
    EXPECT_FALSE(parser.idle());
  }
  parser.feed(bytes.substr(bytes.size() - 1));
  auto next = parser.next();
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->lines.size(), 2u);
  EXPECT_TRUE(parser.idle());
}

TEST(ReplyParser, GarbageIsAProtocolError) {
  for (std::string garbage : {"hello\r\n", "25\r\n", "2500 x\r\n", "250x\r\n", "650 no\r\n", "150 no\r\n",
                              "\r\n", "HTTP/1.1 400 Bad Request\r\n", "25a ok\r\n"}) {
    Parsed p = parse(garbage);
    ASSERT_TRUE(p.error) << garbage;
    EXPECT_EQ(p.error->code, Errc::protocol);
    EXPECT_TRUE(p.replies.empty()) << garbage;
  }
}

TEST(ReplyParser, ErrorIsStickyButEarlierRepliesSurvive) {
  ReplyParser parser;
  parser.feed("250 ok\r\nnonsense\r\n");
  parser.feed("250 fine again\r\n");
  Parsed p = parse_all(parser);
  ASSERT_EQ(p.replies.size(), 1u);
  ASSERT_TRUE(p.error);
  EXPECT_TRUE(parser.next().has_value() == false);
  EXPECT_FALSE(parser.idle());
}

TEST(ReplyParser, MismatchedCodesAcrossLines) {
  Parsed p = parse("250-one\r\n251 two\r\n");
  ASSERT_TRUE(p.error);
  EXPECT_NE(p.error->message.find("250"), std::string::npos);
  EXPECT_TRUE(p.replies.empty());
}

TEST(ReplyParser, LineLimitIs1000OctetsIncludingCrlf) {
  std::string ok = "250 " + std::string(994, 'a') + "\r\n";  // 1000 octets
  ASSERT_EQ(ok.size(), 1000u);
  Parsed good = parse(ok);
  ASSERT_FALSE(good.error);
  ASSERT_EQ(good.replies.size(), 1u);

  Parsed bad = parse("250 " + std::string(995, 'a') + "\r\n");
  ASSERT_TRUE(bad.error);
  EXPECT_NE(bad.error->message.find("1000"), std::string::npos);
}

TEST(ReplyParser, EndlessLineFailsWithoutBufferingIt) {
  ReplyParser parser;
  parser.feed("250-");
  std::string chunk(4096, 'x');
  for (int i = 0; i < 1024; ++i) parser.feed(chunk);  // 4 MB, never a newline
  auto next = parser.next();
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, Errc::protocol);
}

TEST(ReplyParser, MoreThan100LinesIsAnError) {
  std::string hundred;
  for (int i = 0; i < 99; ++i) hundred += "250-line\r\n";
  Parsed ok = parse(hundred + "250 last\r\n");
  ASSERT_FALSE(ok.error);
  ASSERT_EQ(ok.replies.size(), 1u);
  EXPECT_EQ(ok.replies[0].lines.size(), 100u);

  Parsed bad = parse(hundred + "250-one more\r\n250 last\r\n");
  ASSERT_TRUE(bad.error);
  EXPECT_NE(bad.error->message.find("100 lines"), std::string::npos);
}

TEST(ReplyParser, CustomLimits) {
  ReplyParser lines(ReplyParser::Limits{20, 2});
  lines.feed("250-a\r\n250-b\r\n250 c\r\n");
  EXPECT_FALSE(lines.next());
  ReplyParser length(ReplyParser::Limits{10, 2});
  length.feed("250 abcdefghij");
  EXPECT_FALSE(length.next());
}

TEST(ParseEnhancedCode, Forms) {
  EXPECT_EQ(parse_enhanced_code("5.1.1 user unknown")->to_string(), "5.1.1");
  EXPECT_EQ(parse_enhanced_code("5.1.10")->to_string(), "5.1.10");
  EXPECT_EQ(parse_enhanced_code("4.7.26 x")->to_string(), "4.7.26");
  EXPECT_EQ(parse_enhanced_code("2.0.0")->klass, 2);
  EXPECT_FALSE(parse_enhanced_code("3.0.0 x"));
  EXPECT_FALSE(parse_enhanced_code("5.1 x"));
  EXPECT_FALSE(parse_enhanced_code("5.1.1x"));
  EXPECT_FALSE(parse_enhanced_code("5.1234.1 x"));
  EXPECT_FALSE(parse_enhanced_code("5..1 x"));
  EXPECT_FALSE(parse_enhanced_code("OK"));
  EXPECT_FALSE(parse_enhanced_code(""));
}

TEST(ReplyParser, EnhancedCodeOnlyFromTheFirstLine) {
  Parsed p = parse("250-mx greets you\r\n250 2.0.0 ok\r\n");
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_FALSE(p.replies[0].enhanced);
}

}  // namespace
}  // namespace tern::smtp
