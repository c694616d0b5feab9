#include "worker/retry_schedule.hpp"

#include <gtest/gtest.h>

namespace tern::worker {
namespace {

using namespace std::chrono_literals;

RetrySchedule schedule() {
  RetrySchedule s;
  s.steps = {1min, 5min, 30min};
  s.max_queue_age = 24h;
  return s;
}

TEST(RetrySchedule, StepsWithJitterAndLastRepeats) {
  std::mt19937_64 rng(1);
  TimePoint t0{};
  TimePoint now = t0 + 1s;
  for (int attempt = 1; attempt <= 6; ++attempt) {
    auto next = next_attempt(schedule(), attempt, t0, now, rng);
    ASSERT_TRUE(next);
    auto expected = schedule().steps[std::min(attempt, 3) - 1];
    auto delay = *next - now;
    EXPECT_GE(delay, expected * 9 / 10) << attempt;
    EXPECT_LE(delay, expected * 11 / 10) << attempt;
  }
}

TEST(RetrySchedule, GivesUpAfterMaxAgeButTriesOnceAtExpiry) {
  std::mt19937_64 rng(1);
  TimePoint t0{};
  auto near_end = next_attempt(schedule(), 9, t0, t0 + 24h - 1min, rng);
  ASSERT_TRUE(near_end);
  EXPECT_EQ(*near_end, t0 + 24h);
  EXPECT_FALSE(next_attempt(schedule(), 10, t0, t0 + 24h, rng));
}

}  // namespace
}  // namespace tern::worker
