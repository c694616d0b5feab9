// Queue and EmailStore against a real redis-server: at-least-once claim,
// reclaim after a silent consumer, delayed promotion, atomic commit.
#include "store/redis/queue.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

EmailContent sample(std::string team = "t1") {
  EmailContent c;
  c.id = new_uuid();
  c.team = std::move(team);
  c.from = "Acme <a@example.com>";
  c.to = {"x@example.org", "Y <y@example.org>"};
  c.bcc = {"X@EXAMPLE.org", "z@example.net"};
  c.subject = "hi";
  c.text = "hello";
  c.message_id = "<" + c.id + "@tern.test>";
  c.created_at = std::chrono::system_clock::now();
  return c;
}

EmailEvent sent_event() { return EmailEvent{"email.sent", std::chrono::system_clock::now(), {}, std::nullopt}; }

class QueueTest : public ::testing::Test {
 protected:
  testing::RedisServer redis;
  RedisPool pool{redis.endpoint()};
  EmailStore emails{pool};
  Queue queue{pool, "c1"};

  void SetUp() override { ASSERT_TRUE(queue.ensure_group()); }
};

TEST_F(QueueTest, CreateWritesContentStateAndQueueEntry) {
  auto c = sample();
  ASSERT_TRUE(emails.create(c, initial_state(c), sent_event()));
  auto got = emails.get("t1", c.id);
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->content.subject, "hi");
  EXPECT_EQ((*got)->state.last_event, "sent");
  // x@example.org appears twice (to and bcc, different case): one recipient.
  EXPECT_EQ((*got)->state.recipients.size(), 3u);
  auto depth = queue.depth();
  ASSERT_TRUE(depth);
  EXPECT_EQ(depth->ready, 1);
}

TEST_F(QueueTest, OtherTeamSeesNothing) {
  auto c = sample("t1");
  ASSERT_TRUE(emails.create(c, initial_state(c), sent_event()));
  auto got = emails.get("t2", c.id);
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->has_value());
}

TEST_F(QueueTest, ClaimedJobIsReclaimedAfterConsumerGoesSilent) {
  auto c = sample();
  ASSERT_TRUE(emails.create(c, initial_state(c), sent_event()));
  auto jobs = queue.claim(10, 100ms);
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().email_id, c.id);

  // c1 "dies" holding the job. A second consumer sees nothing new...
  Queue other(pool, "c2");
  auto none = other.claim(10, 50ms);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  // ...but takes it over once it has been idle long enough.
  std::vector<Job> taken;
  ASSERT_TRUE(testing::wait_until([&] {
    auto r = other.reclaim(10, 200ms);
    if (r && !r->empty()) taken = *r;
    return !taken.empty();
  }));
  EXPECT_EQ(taken.front().email_id, c.id);
}

TEST_F(QueueTest, RenewKeepsJobFromBeingReclaimed) {
  auto c = sample();
  ASSERT_TRUE(emails.create(c, initial_state(c), sent_event()));
  auto jobs = queue.claim(10, 100ms);
  ASSERT_TRUE(jobs && jobs->size() == 1);
  ASSERT_TRUE(queue.renew({jobs->front().stream_id}));
  Queue other(pool, "c2");
  auto r = other.reclaim(10, 60s);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST_F(QueueTest, CommitWithRetryMovesToDelayedThenPromotes) {
  auto c = sample();
  auto state = initial_state(c);
  ASSERT_TRUE(emails.create(c, state, sent_event()));
  auto jobs = queue.claim(10, 100ms);
  ASSERT_TRUE(jobs && jobs->size() == 1);
  state.last_event = "delivery_delayed";
  ASSERT_TRUE(emails.commit_attempt(jobs->front(), "t1", state, {}, std::chrono::system_clock::now() - 1s));
  auto depth = queue.depth();
  ASSERT_TRUE(depth);
  EXPECT_EQ(depth->ready + depth->pending, 0);
  EXPECT_EQ(depth->delayed, 1);
  auto moved = queue.promote_due(100);
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, 1);
  auto again = queue.claim(10, 100ms);
  ASSERT_TRUE(again && again->size() == 1);
  EXPECT_EQ(again->front().email_id, c.id);
  auto stored = emails.get_any(c.id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->state.last_event, "delivery_delayed");
}

TEST_F(QueueTest, FutureDelayedEntryIsNotPromoted) {
  auto c = sample();
  c.scheduled_at = c.created_at + 1h;
  ASSERT_TRUE(emails.create(c, initial_state(c), sent_event()));
  auto moved = queue.promote_due(100);
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, 0);
  auto got = emails.get("t1", c.id);
  EXPECT_EQ((*got)->state.last_event, "scheduled");
}

TEST_F(QueueTest, AcceptedEmailSurvivesRedisKill) {
  auto c = sample();
  ASSERT_TRUE(emails.create(c, initial_state(c), sent_event()));
  redis.kill_hard();
  redis.start();
  RedisPool fresh(redis.endpoint());
  EmailStore after(fresh);
  std::optional<StoredEmail> got;
  ASSERT_TRUE(testing::wait_until([&] {
    auto r = after.get("t1", c.id);
    if (r && r->has_value()) got = **r;
    return got.has_value();
  }));
  Queue q(fresh, "c9");
  auto jobs = q.claim(10, 100ms);
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 1u);
}

TEST_F(QueueTest, BrokenConnectionIsReplaced) {
  ASSERT_TRUE(run(pool, {"PING"}));
  redis.kill_hard();
  auto failed = run(pool, {"PING"});
  EXPECT_FALSE(failed);
  redis.start();
  EXPECT_TRUE(testing::wait_until([&] { return bool(run(pool, {"PING"})); }));
}

}  // namespace
}  // namespace tern::store
