#include "store/util/time_format.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

TEST(TimeFormat, ResendAndIsoAndRfc5322) {
  auto t = from_unix_ms(1763854872126);  // 2025-11-22T23:41:12.126Z
  EXPECT_EQ(format_iso8601(t), "2025-11-22T23:41:12.126Z");
  EXPECT_EQ(format_resend_timestamp(t), "2025-11-22 23:41:12.126000+00");
  EXPECT_EQ(format_rfc5322_date(t), "Sat, 22 Nov 2025 23:41:12 +0000");
}

TEST(TimeFormat, ParsesIsoForms) {
  EXPECT_EQ(to_unix_ms(*parse_iso8601("2025-11-22T23:41:12.126Z")), 1763854872126);
  EXPECT_EQ(to_unix_ms(*parse_iso8601("2025-11-23T01:41:12.126+02:00")), 1763854872126);
  EXPECT_EQ(to_unix_ms(*parse_iso8601("2025-11-22 23:41:12")), 1763854872000);
  EXPECT_FALSE(parse_iso8601("tomorrow"));
  EXPECT_FALSE(parse_iso8601("2025-13-22T23:41:12Z"));
  EXPECT_FALSE(parse_iso8601("2025-11-22T23:41:12Zjunk"));
  EXPECT_FALSE(parse_iso8601("4048-08-05T11:52:01Z")) << "would overflow system_clock";
  EXPECT_FALSE(parse_iso8601("1012-08-05T11:52:01Z"));
}

}  // namespace
}  // namespace tern
