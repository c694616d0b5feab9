#include "mailer/smtp/dot_stuff.hpp"

#include <gtest/gtest.h>

namespace tern::smtp {
namespace {

// count - occurrences of needle in hay.
std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

TEST(DotStuff, PlainMessage) {
  EXPECT_EQ(dot_stuff("Subject: x\r\n\r\nhello\r\n"), "Subject: x\r\n\r\nhello\r\n.\r\n");
}

TEST(DotStuff, LeadingDotsDoubled) {
  EXPECT_EQ(dot_stuff(".\r\n..\r\n.x\r\nmid.dle\r\n"), "..\r\n...\r\n..x\r\nmid.dle\r\n.\r\n");
  EXPECT_EQ(dot_stuff(".first"), "..first\r\n.\r\n");
}

TEST(DotStuff, EndOfDataInsideTheBodyIsStuffed) {
  std::string out = dot_stuff("a\r\n.\r\nb\r\n");
  EXPECT_EQ(out, "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(count(out, "\r\n.\r\n"), 1u);
  EXPECT_EQ(out.rfind("\r\n.\r\n"), out.size() - 5);
}

TEST(DotStuff, MissingFinalCrlfIsAdded) { EXPECT_EQ(dot_stuff("no newline"), "no newline\r\n.\r\n"); }

TEST(DotStuff, EmptyMessage) {
  EXPECT_EQ(dot_stuff(""), ".\r\n");
  EXPECT_EQ(dot_stuff("\r\n"), "\r\n.\r\n");
}

TEST(DotStuff, BareLfAndCrNormalisedBeforeStuffing) {
  // <LF>.<CR><LF> would end the data on some receivers (SMTP smuggling).
  std::string out = dot_stuff("a\n.\r\nMAIL FROM:<evil>\r\n");
  EXPECT_EQ(out, "a\r\n..\r\nMAIL FROM:<evil>\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\r.\rb"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\n\n.b\n"), "a\r\n\r\n..b\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\r\r\nb"), "a\r\n\r\nb\r\n.\r\n");
}

TEST(DotStuff, NoBareCrOrLfEverLeaves) {
  const std::string inputs[] = {"\n",   "\r",      "\r\r",           "\n\r",       "\n.\n",
                                "\r.\r", ".\r.\n.", "x\r\n.\n\r.\r\n", "\n\n\r\r."};
  for (const std::string& in : inputs) {
    std::string out = dot_stuff(in);
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '\r') {
        ASSERT_TRUE(i + 1 < out.size() && out[i + 1] == '\n') << "bare CR in output for input #" << in.size();
      }
      if (out[i] == '\n') {
        ASSERT_TRUE(i > 0 && out[i - 1] == '\r') << "bare LF";
      }
    }
    EXPECT_EQ(count("\r\n" + out, "\r\n.\r\n"), 1u);
  }
}

TEST(NormalizeLineEndings, Cases) {
  EXPECT_EQ(normalize_line_endings("a\nb\rc\r\nd"), "a\r\nb\r\nc\r\nd");
  EXPECT_EQ(normalize_line_endings(".\n"), ".\r\n");
  EXPECT_EQ(normalize_line_endings(""), "");
}

}  // namespace
}  // namespace tern::smtp
