// idempotency_store_test.cpp - reserve / complete / release against a real
// redis-server: one holder at a time, tokens guard every change.
#include "store/redis/idempotency_store.hpp"

#include <gtest/gtest.h>

#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

class IdempotencyStoreTest : public ::testing::Test {
 protected:
  testing::RedisServer redis;
  RedisPool pool{redis.endpoint()};
  IdempotencyStore store{pool};
  const std::string key = "tern:idem:t1:POST:/emails:abc";
};

TEST_F(IdempotencyStoreTest, FirstReservesSecondSeesItInProgress) {
  auto first = store.reserve(key, "h1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->state, IdempotencyState::reserved);
  EXPECT_FALSE(first->token.empty());
  auto second = store.reserve(key, "h1");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->state, IdempotencyState::in_progress);
  EXPECT_EQ(second->body_hash, "h1");
  // The reservation expires by itself (a crashed holder cannot block the key).
  auto ttl = run(pool, {"PTTL", key});
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, std::chrono::milliseconds(IdempotencyStore::kLockTtl).count());
}

TEST_F(IdempotencyStoreTest, CompletedResponseIsReturnedForADay) {
  auto mine = store.reserve(key, "h1");
  ASSERT_TRUE(mine);
  auto done = store.complete(key, mine->token, "h1", 200, R"({"id":"x"})");
  ASSERT_TRUE(done);
  EXPECT_TRUE(*done);
  auto again = store.reserve(key, "h2");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->state, IdempotencyState::completed);
  EXPECT_EQ(again->body_hash, "h1");
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->response, R"({"id":"x"})");
  auto ttl = run(pool, {"PTTL", key});
  EXPECT_GT(ttl->integer, std::chrono::milliseconds(std::chrono::hours(23)).count());
}

TEST_F(IdempotencyStoreTest, ReleaseFreesTheKeyOnlyForItsHolder) {
  auto mine = store.reserve(key, "h1");
  ASSERT_TRUE(mine);
  ASSERT_TRUE(store.release(key, "not-my-token"));
  EXPECT_EQ(store.reserve(key, "h1")->state, IdempotencyState::in_progress);
  EXPECT_FALSE(*store.complete(key, "not-my-token", "h1", 200, "{}"));
  ASSERT_TRUE(store.release(key, mine->token));
  EXPECT_EQ(store.reserve(key, "h1")->state, IdempotencyState::reserved);
}

}  // namespace
}  // namespace tern::store
