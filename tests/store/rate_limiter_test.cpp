// rate_limiter_test.cpp - the Redis token bucket: off by default, counts
// down, refuses past the burst, per-team overrides, shared by instances.
#include "store/redis/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

RateLimitConfig per_minute(int count, int burst = 0) { return RateLimitConfig{count, Seconds(60), burst}; }

class RateLimiterTest : public ::testing::Test {
 protected:
  testing::RedisServer redis;
  RedisPool pool{redis.endpoint()};
};

TEST_F(RateLimiterTest, OffByDefaultTouchesNothing) {
  RateLimiter limiter(pool, RateLimitConfig{});
  EXPECT_FALSE(limiter.enabled());
  auto d = limiter.take("t1");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->applies);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(run(pool, {"EXISTS", keys::rate_bucket("t1")})->integer, 0);
}

TEST_F(RateLimiterTest, CountsDownThenRefusesWithRetryAfter) {
  // 3 per minute: refilling one token takes 20 s, far longer than the test.
  RateLimiter limiter(pool, per_minute(3));
  for (int expected_remaining : {2, 1, 0}) {
    auto d = limiter.take("t1");
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->applies);
    EXPECT_TRUE(d->allowed);
    EXPECT_EQ(d->limit, 3);
    EXPECT_EQ(d->window, Seconds(60));
    EXPECT_EQ(d->remaining, expected_remaining);
    EXPECT_GT(d->reset_seconds, 0);
  }
  auto refused = limiter.take("t1");
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->remaining, 0);
  EXPECT_GE(refused->retry_after_seconds, 1);
  EXPECT_LE(refused->retry_after_seconds, 20);
  // Another team has its own bucket.
  EXPECT_TRUE(limiter.take("t2")->allowed);
}

TEST_F(RateLimiterTest, BurstSetsTheBucketSize) {
  RateLimiter limiter(pool, per_minute(1, 2));
  EXPECT_TRUE(limiter.take("t1")->allowed);
  EXPECT_TRUE(limiter.take("t1")->allowed);
  EXPECT_FALSE(limiter.take("t1")->allowed);
}

TEST_F(RateLimiterTest, TwoProcessesShareOneBucket) {
  RateLimiter a(pool, per_minute(2));
  RedisPool other_pool(redis.endpoint());
  RateLimiter b(other_pool, per_minute(2));
  EXPECT_TRUE(a.take("t1")->allowed);
  EXPECT_TRUE(b.take("t1")->allowed);
  EXPECT_FALSE(a.take("t1")->allowed);
  EXPECT_FALSE(b.take("t1")->allowed);
}

TEST_F(RateLimiterTest, PerTeamOverride) {
  RateLimiter limiter(pool, per_minute(1));
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("big"), "5/m"}));
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("free"), "off"}));
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("typo"), "lots"}));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.take("big")->allowed) << i;
  EXPECT_FALSE(limiter.take("big")->allowed);
  EXPECT_EQ(limiter.take("big")->limit, 5);
  for (int i = 0; i < 10; ++i) {
    auto d = limiter.take("free");
    EXPECT_TRUE(d->allowed);
    EXPECT_FALSE(d->applies);
  }
  EXPECT_TRUE(limiter.take("typo")->allowed);  // unparsable: the global limit
  EXPECT_FALSE(limiter.take("typo")->allowed);
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("burst"), "1/h,3"}));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("burst")->allowed);
  EXPECT_FALSE(limiter.take("burst")->allowed);
}

TEST_F(RateLimiterTest, PerTeamOverrideAppliesWhileTheGlobalLimitIsOff) {
  TeamLimitOverrides overrides(std::chrono::seconds(0));  // read the key every time
  RateLimiter limiter(pool, RateLimitConfig{}, &overrides);
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("big"), "2/m"}));
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("free"), "off"}));
  EXPECT_TRUE(limiter.take("big")->allowed);
  auto second = limiter.take("big");
  EXPECT_TRUE(second->applies);
  EXPECT_EQ(second->limit, 2);
  EXPECT_FALSE(limiter.take("big")->allowed);
  for (const char* team : {"free", "plain"}) {
    auto d = limiter.take(team);
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->applies) << team;
    EXPECT_EQ(run(pool, {"EXISTS", keys::rate_bucket(team)})->integer, 0) << team;
  }
}

TEST_F(RateLimiterTest, OverridesAreReadOncePerTtl) {
  TeamLimitOverrides overrides(std::chrono::hours(1));
  RateLimiter limiter(pool, RateLimitConfig{}, &overrides);
  EXPECT_FALSE(limiter.take("late")->applies);
  ASSERT_TRUE(run(pool, {"SET", keys::team_rate_limit("late"), "1/m"}));
  EXPECT_FALSE(limiter.take("late")->applies) << "the cached answer holds until the ttl passes";
  TeamLimitOverrides fresh(std::chrono::hours(1));
  EXPECT_TRUE(RateLimiter(pool, RateLimitConfig{}, &fresh).take("late")->applies);
}

}  // namespace
}  // namespace tern::store
