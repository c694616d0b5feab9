#include "mailer/smtp/reply.hpp"

#include <gtest/gtest.h>

namespace tern::smtp {
namespace {

TEST(EnhancedCode, PrintsDotted) { EXPECT_EQ((EnhancedCode{5, 1, 10}).to_string(), "5.1.10"); }

TEST(Reply, TextJoinsLinesWithSpaces) {
  Reply r{250, EnhancedCode{2, 0, 0}, {"2.0.0 first", "second", "third"}};
  EXPECT_EQ(r.text(), "2.0.0 first second third");
  EXPECT_EQ(r.to_string(), "250 2.0.0 first second third");
}

TEST(Reply, BareCodeHasNoTrailingSpace) {
  Reply r{250, std::nullopt, {""}};
  EXPECT_EQ(r.text(), "");
  EXPECT_EQ(r.to_string(), "250");
}

TEST(Reply, ClassPredicates) {
  EXPECT_TRUE((Reply{250, {}, {}}).positive());
  EXPECT_TRUE((Reply{354, {}, {}}).positive());
  EXPECT_TRUE((Reply{451, {}, {}}).transient());
  EXPECT_FALSE((Reply{451, {}, {}}).permanent());
  EXPECT_TRUE((Reply{550, {}, {}}).permanent());
  EXPECT_FALSE((Reply{550, {}, {}}).positive());
}

}  // namespace
}  // namespace tern::smtp
