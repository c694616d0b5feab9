// auth_throttle_test.cpp - failed AUTH counting per client address.
#include "submission/auth_throttle.hpp"

#include <gtest/gtest.h>

namespace tern::submission {
namespace {

using std::chrono::minutes;

TEST(AuthThrottle, BlocksAnAddressAfterTooManyFailuresUntilTheWindowPasses) {
  AuthThrottle throttle(3, minutes(15));
  const TimePoint t0{std::chrono::hours(1000)};
  for (int i = 0; i < 2; ++i) throttle.record_failure("192.0.2.1", t0);
  EXPECT_FALSE(throttle.blocked("192.0.2.1", t0));
  throttle.record_failure("192.0.2.1", t0 + minutes(1));
  EXPECT_TRUE(throttle.blocked("192.0.2.1", t0 + minutes(2)));
  EXPECT_FALSE(throttle.blocked("192.0.2.2", t0 + minutes(2))) << "other addresses are not affected";
  EXPECT_FALSE(throttle.blocked("192.0.2.1", t0 + minutes(15)));
  throttle.record_failure("192.0.2.1", t0 + minutes(16));
  EXPECT_FALSE(throttle.blocked("192.0.2.1", t0 + minutes(16))) << "a new window starts from one";
}

TEST(AuthThrottle, MemoryIsBounded) {
  AuthThrottle throttle(1, minutes(15));
  const TimePoint t0{std::chrono::hours(1000)};
  for (std::size_t i = 0; i < AuthThrottle::kMaxTracked + 10; ++i)
    throttle.record_failure("10.0." + std::to_string(i), t0 + std::chrono::seconds(i));
  EXPECT_TRUE(throttle.blocked("10.0." + std::to_string(AuthThrottle::kMaxTracked + 9), t0 + minutes(1)));
  EXPECT_FALSE(throttle.blocked("10.0.0", t0 + minutes(1))) << "the oldest entry made room";
}

}  // namespace
}  // namespace tern::submission
