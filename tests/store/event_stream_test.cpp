// event_stream_test.cpp - EventStreamReader against a real redis-server:
// new entries in order, own unfinished entries come back, done() removes,
// a silent consumer's entries are reclaimed.
#include "store/redis/event_stream.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(reader.ensure_group()); }

  std::string add(const std::string& type, const std::string& subject) {
    auto r = run(pool, {"XADD", std::string(keys::kEventStream), "*", "type", type, "team", "t1", "subject_id",
                        subject, "event", "{}"});
    EXPECT_TRUE(r);
    return r ? r->str : "";
  }

  testing::RedisServer redis;
  RedisPool pool{redis.endpoint()};
  EventStreamReader reader{pool, "webhooks", "c1"};
};

TEST_F(EventStreamTest, ReadsNewEntriesInOrderWithTheirFields) {
  std::string first = add("email.sent", "e1");
  std::string second = add("email.delivered", "e1");
  auto batch = reader.read_new(10, 100ms);
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[0].stream_id, first);
  EXPECT_EQ((*batch)[0].type, "email.sent");
  EXPECT_EQ((*batch)[0].team, "t1");
  EXPECT_EQ((*batch)[0].subject_id, "e1");
  EXPECT_EQ((*batch)[0].event, "{}");
  EXPECT_EQ((*batch)[1].stream_id, second);
  EXPECT_TRUE(reader.read_new(10, 10ms)->empty());
}

TEST_F(EventStreamTest, UnfinishedEntriesComeBackUntilDone) {
  std::string id = add("email.sent", "e1");
  ASSERT_EQ(reader.read_new(10, 100ms)->size(), 1u);
  auto pending = reader.own_pending(10);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].stream_id, id);
  ASSERT_TRUE(reader.done(id));
  EXPECT_TRUE(reader.own_pending(10)->empty());
  EXPECT_EQ(run(pool, {"XLEN", std::string(keys::kEventStream)})->integer, 0);
}

TEST_F(EventStreamTest, ASilentConsumersEntriesAreReclaimed) {
  std::string id = add("email.sent", "e1");
  ASSERT_EQ(reader.read_new(10, 100ms)->size(), 1u);  // c1 then goes silent
  EventStreamReader other(pool, "webhooks", "c2");
  EXPECT_TRUE(other.reclaim(10, 60s)->empty());  // not idle long enough
  std::vector<StreamEvent> got;
  ASSERT_TRUE(testing::wait_until([&] {
    got = *other.reclaim(10, 50ms);
    return !got.empty();
  }));
  EXPECT_EQ(got[0].stream_id, id);
}

}  // namespace
}  // namespace tern::store
