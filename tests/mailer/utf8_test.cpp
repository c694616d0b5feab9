#include "mailer/utf8.hpp"

#include <string>

#include <gtest/gtest.h>

namespace tern::mailer {
namespace {

TEST(Utf8, CharLengths) {
  const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀
  EXPECT_EQ(utf8_char_length(text, 0), 1u);
  EXPECT_EQ(utf8_char_length(text, 1), 2u);
  EXPECT_EQ(utf8_char_length(text, 3), 3u);
  EXPECT_EQ(utf8_char_length(text, 6), 4u);
  EXPECT_EQ(utf8_char_length(text, 10), 0u);
}

TEST(Utf8, InvalidBytesCountAsOne) {
  EXPECT_EQ(utf8_char_length("\xFF", 0), 1u);
  EXPECT_EQ(utf8_char_length("\xC3", 0), 1u);          // truncated
  EXPECT_EQ(utf8_char_length("\xE4\xB8", 0), 1u);      // truncated
  EXPECT_EQ(utf8_char_length("\x80", 0), 1u);          // lone continuation
  EXPECT_EQ(utf8_char_length("\xED\xA0\x80", 0), 1u);  // surrogate
}

TEST(Utf8, Validity) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("e\xCC\x81"));  // e + combining acute
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("ab\xC3"));
}

TEST(Utf8, Ascii) {
  EXPECT_TRUE(is_ascii("hello\x7F"));
  EXPECT_FALSE(is_ascii("h\xC3\xA9llo"));
}

}  // namespace
}  // namespace tern::mailer
