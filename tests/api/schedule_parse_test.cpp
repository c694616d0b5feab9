// schedule_parse_test.cpp - every accepted form of scheduled_at, resolved
// against a fixed now, and the refusals.
#include "api/schedule_parse.hpp"

#include <gtest/gtest.h>

namespace tern::api {
namespace {

using namespace std::chrono;

// 2026-08-05 (a Wednesday) 11:52:01.858 UTC.
const TimePoint kNow = *parse_iso8601("2026-08-05T11:52:01.858Z");

std::string at(std::string_view text) {
  auto when = parse_schedule_at(text, kNow);
  if (!when) return "error: " + when.error().message;
  return format_iso8601(*when);
}

TEST(ScheduleParse, Iso8601IsAbsolute) {
  EXPECT_EQ(at("2026-08-06T09:00:00.000Z"), "2026-08-06T09:00:00.000Z");
  EXPECT_EQ(at("2026-08-06T11:00:00+02:00"), "2026-08-06T09:00:00.000Z");
  auto spec = parse_schedule("2026-08-06T09:00:00Z");
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->kind, ScheduleSpec::Kind::absolute);
}

TEST(ScheduleParse, InAnAmountOfUnits) {
  EXPECT_EQ(at("in 1 min"), "2026-08-05T11:53:01.858Z");
  EXPECT_EQ(at("in 1 minute"), "2026-08-05T11:53:01.858Z");
  EXPECT_EQ(at("in 5 minutes"), "2026-08-05T11:57:01.858Z");
  EXPECT_EQ(at("in 5min"), "2026-08-05T11:57:01.858Z");
  EXPECT_EQ(at("in 30 seconds"), "2026-08-05T11:52:31.858Z");
  EXPECT_EQ(at("in 2 hours"), "2026-08-05T13:52:01.858Z");
  EXPECT_EQ(at("in an hour"), "2026-08-05T12:52:01.858Z");
  EXPECT_EQ(at("In 3 Days"), "2026-08-08T11:52:01.858Z");
  EXPECT_EQ(at("  in   1   week "), "2026-08-12T11:52:01.858Z");
  EXPECT_EQ(at("now"), "2026-08-05T11:52:01.858Z");
}

TEST(ScheduleParse, TomorrowAndTodayAtATime) {
  EXPECT_EQ(at("tomorrow at 9am"), "2026-08-06T09:00:00.000Z");
  EXPECT_EQ(at("tomorrow at 9 am"), "2026-08-06T09:00:00.000Z");
  EXPECT_EQ(at("tomorrow at 9:30pm"), "2026-08-06T21:30:00.000Z");
  EXPECT_EQ(at("tomorrow at 15:30"), "2026-08-06T15:30:00.000Z");
  EXPECT_EQ(at("Tomorrow at 12am"), "2026-08-06T00:00:00.000Z");
  EXPECT_EQ(at("tomorrow at 12pm"), "2026-08-06T12:00:00.000Z");
  EXPECT_EQ(at("tomorrow at noon"), "2026-08-06T12:00:00.000Z");
  EXPECT_EQ(at("tomorrow at 9am UTC"), "2026-08-06T09:00:00.000Z");
  EXPECT_EQ(at("today at 17:00"), "2026-08-05T17:00:00.000Z");
}

TEST(ScheduleParse, WeekdayIsTheNextOne) {
  EXPECT_EQ(at("friday at 3pm"), "2026-08-07T15:00:00.000Z");
  EXPECT_EQ(at("mon at 08:00"), "2026-08-10T08:00:00.000Z");
  // Today's weekday: today when still ahead, else a week later.
  EXPECT_EQ(at("wednesday at 18:00"), "2026-08-05T18:00:00.000Z");
  EXPECT_EQ(at("wednesday at 9am"), "2026-08-12T09:00:00.000Z");
}

TEST(ScheduleParse, RefusalsSayWhy) {
  for (const char* bad : {"", "soon", "in", "in 5", "in five minutes", "in 5 fortnights", "in -5 minutes",
                          "tomorrow", "tomorrow 9am", "tomorrow at 25:00", "tomorrow at 13pm", "tomorrow at 9",
                          "tomorrow at 9:7", "2026-13-45T00:00:00Z", "in 999999999 days"}) {
    auto spec = parse_schedule(bad);
    EXPECT_FALSE(spec) << bad;
    if (!spec) {
      EXPECT_EQ(spec.error().code, Errc::invalid_argument);
      EXPECT_NE(spec.error().message.find("`scheduled_at`"), std::string::npos) << spec.error().message;
    }
  }
  auto zone = parse_schedule("friday at 3pm ET");
  ASSERT_FALSE(zone);
  EXPECT_NE(zone.error().message.find("time zones other than UTC are not supported"), std::string::npos);
  EXPECT_FALSE(parse_schedule(std::string(200, 'x')));
}

}  // namespace
}  // namespace tern::api
