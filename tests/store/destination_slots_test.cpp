#include "store/redis/destination_slots.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

TEST(DestinationSlots, WindowLimitsSharesAndAdapts) {
  testing::RedisServer redis;
  RedisPool pool(redis.endpoint());
  DestinationSlots a(pool, 4, 60s);
  DestinationSlots b(pool, 4, 60s);  // a second worker process, same Redis
  std::vector<std::string> tokens;
  for (int i = 0; i < 4; ++i) {
    auto t = (i % 2 ? a : b).acquire("mx.example");
    ASSERT_TRUE(t && t->has_value());
    tokens.push_back(**t);
  }
  auto full = a.acquire("mx.example");
  ASSERT_TRUE(full);
  EXPECT_FALSE(*full) << "fifth concurrent delivery refused";
  EXPECT_TRUE(a.acquire("mx.other")->has_value()) << "other destinations are unaffected";

  ASSERT_TRUE(a.release("mx.example", tokens[0], DestinationSlots::Outcome::host_failure));
  EXPECT_EQ(*a.window("mx.example"), 2);
  ASSERT_TRUE(a.release("mx.example", tokens[1], DestinationSlots::Outcome::host_failure));
  EXPECT_EQ(*a.window("mx.example"), 1);
  ASSERT_TRUE(a.release("mx.example", tokens[2], DestinationSlots::Outcome::host_failure));
  EXPECT_EQ(*a.window("mx.example"), 1) << "never below one";
  EXPECT_FALSE(a.acquire("mx.example")->has_value()) << "window 1, one lease still held";
  ASSERT_TRUE(a.release("mx.example", tokens[3], DestinationSlots::Outcome::success));
  EXPECT_EQ(*a.window("mx.example"), 2) << "grows back by one per success";
}

TEST(DestinationSlots, LeaseOfAKilledWorkerLapses) {
  testing::RedisServer redis;
  RedisPool pool(redis.endpoint());
  DestinationSlots slots(pool, 1, 200ms);
  ASSERT_TRUE(slots.acquire("mx")->has_value());  // never released
  EXPECT_FALSE(slots.acquire("mx")->has_value());
  EXPECT_TRUE(testing::wait_until([&] { return slots.acquire("mx")->has_value(); }, 5s));
}

TEST(DestinationSlots, RenewedLeaseOutlivesItsPeriod) {
  testing::RedisServer redis;
  RedisPool pool(redis.endpoint());
  DestinationSlots slots(pool, 1, 300ms);
  auto token = slots.acquire("mx");
  ASSERT_TRUE(token && token->has_value());
  for (int i = 0; i < 8; ++i) {  // 800 ms, well past one 300 ms period
    std::this_thread::sleep_for(100ms);
    auto renewed = slots.renew("mx", **token);
    ASSERT_TRUE(renewed);
    EXPECT_TRUE(*renewed);
  }
  EXPECT_FALSE(slots.acquire("mx")->has_value()) << "the renewed lease still holds the only slot";
  EXPECT_FALSE(*slots.renew("mx", "not-a-token")) << "an unknown lease is not created by renew";
  ASSERT_TRUE(slots.release("mx", **token, DestinationSlots::Outcome::success));
  EXPECT_FALSE(*slots.renew("mx", **token)) << "a released lease cannot be renewed";
}

}  // namespace
}  // namespace tern::store
