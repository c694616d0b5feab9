// webhook_store_test.cpp - WebhookStore against a real redis-server:
// webhooks per team, idempotent enqueue, per-chain ordering, leases,
// retries, abandonment, and disabling after continuous failure.
#include "store/redis/webhook_store.hpp"

#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

class WebhookStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<RedisPool>(redis_->endpoint());
    ASSERT_TRUE(run(*pool_, {"FLUSHALL"}));
    store_ = std::make_unique<WebhookStore>(*pool_);
  }

  Webhook make(std::string team = "team-a", std::optional<std::vector<std::string>> events = std::nullopt) {
    auto w = store_->create(std::move(team), "https://example.com/hook", std::move(events),
                            std::chrono::system_clock::now());
    EXPECT_TRUE(w);
    return *w;
  }

  WebhookMessage message(const Webhook& w, const std::string& stream_id, const std::string& subject = "email-1") {
    WebhookMessage m;
    m.id = derive_message_id(stream_id, w.id);
    m.webhook_id = w.id;
    m.team = w.team;
    m.type = "email.sent";
    m.subject_id = subject;
    m.order_key = stream_order_key(stream_id);
    m.payload = R"({"type":"email.sent","n":")" + stream_id + "\"}";
    return m;
  }

  // claim_until - poll claim_due until it returns something or the deadline.
  std::vector<std::string> claim_until(std::chrono::milliseconds deadline = 5s) {
    std::vector<std::string> got;
    testing::wait_until(
        [&] {
          auto c = store_->claim_due(10, 60s);
          if (c) got = *c;
          return !got.empty();
        },
        deadline);
    return got;
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<WebhookStore> store_;
};

std::unique_ptr<testing::RedisServer> WebhookStoreTest::redis_;

TEST_F(WebhookStoreTest, CreateGivesAnIdAndAWhsecSecret) {
  Webhook w = make("team-a", std::vector<std::string>{"email.sent", "email.bounced"});
  EXPECT_EQ(w.id.size(), 36u);
  ASSERT_EQ(w.signing_secret.rfind("whsec_", 0), 0u);
  auto key = base64_decode(w.signing_secret.substr(6));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 24u);
  auto found = store_->get("team-a", w.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->endpoint, "https://example.com/hook");
  EXPECT_EQ((*found)->events, (std::vector<std::string>{"email.sent", "email.bounced"}));
  EXPECT_EQ((*found)->status, WebhookStatus::enabled);
  EXPECT_EQ((*found)->signing_secret, w.signing_secret);
  EXPECT_NE(make().signing_secret, w.signing_secret);
}

TEST_F(WebhookStoreTest, AnotherTeamSeesNothing) {
  Webhook w = make("team-a");
  auto other = store_->get("team-b", w.id);
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  auto list = store_->list("team-b");
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
  auto updated = store_->update("team-b", w.id, WebhookPatch{std::string("https://evil.example/"), {}, {}});
  ASSERT_TRUE(updated);
  EXPECT_FALSE(*updated);
  auto removed = store_->remove("team-b", w.id);
  ASSERT_TRUE(removed);
  EXPECT_FALSE(*removed);
  EXPECT_EQ((*store_->get("team-a", w.id))->endpoint, "https://example.com/hook");
}

TEST_F(WebhookStoreTest, ListIsNewestFirstAndRemoveDeletes) {
  Webhook first = make();
  Webhook second = make();
  auto list = store_->list("team-a");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  std::set<std::string> ids = {(*list)[0].id, (*list)[1].id};
  EXPECT_EQ(ids, (std::set<std::string>{first.id, second.id}));
  EXPECT_GE((*list)[0].created_at, (*list)[1].created_at);
  ASSERT_TRUE(*store_->remove("team-a", first.id));
  EXPECT_FALSE(*store_->get("team-a", first.id));
  EXPECT_EQ(store_->list("team-a")->size(), 1u);
}

TEST_F(WebhookStoreTest, UpdateChangesOnlyGivenFieldsAndSubscribersFilter) {
  Webhook all = make("team-a");
  Webhook some = make("team-a", std::vector<std::string>{"email.bounced"});
  auto bounced = store_->subscribers("team-a", "email.bounced");
  ASSERT_TRUE(bounced);
  EXPECT_EQ(bounced->size(), 2u);
  auto sent = store_->subscribers("team-a", "email.sent");
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].id, all.id);

  WebhookPatch disable;
  disable.status = WebhookStatus::disabled;
  ASSERT_TRUE(*store_->update("team-a", all.id, disable));
  EXPECT_TRUE(store_->subscribers("team-a", "email.sent")->empty());
  auto after = *store_->get("team-a", all.id);
  EXPECT_EQ(after->endpoint, "https://example.com/hook");
  EXPECT_FALSE(after->events);

  WebhookPatch events;
  events.events = std::optional<std::vector<std::string>>(std::vector<std::string>{"email.sent"});
  ASSERT_TRUE(*store_->update("team-a", some.id, events));
  EXPECT_EQ(store_->subscribers("team-a", "email.sent")->size(), 1u);
  EXPECT_TRUE(store_->subscribers("team-a", "email.bounced")->empty());
}

TEST_F(WebhookStoreTest, ContinuousFailureDisablesAndReenablingClears) {
  Webhook w = make();
  auto first = store_->record_endpoint_result(w.id, false, 200ms);
  ASSERT_TRUE(first);
  EXPECT_FALSE(*first);
  auto tracked = *store_->get_any(w.id);
  EXPECT_EQ(tracked->consecutive_failures, 1);
  EXPECT_TRUE(tracked->first_failure_at);
  // A success clears the run.
  ASSERT_TRUE(store_->record_endpoint_result(w.id, true, 200ms));
  EXPECT_EQ((*store_->get_any(w.id))->consecutive_failures, 0);
  EXPECT_FALSE((*store_->get_any(w.id))->first_failure_at);
  // Failures for longer than the limit disable it, exactly once.
  ASSERT_FALSE(*store_->record_endpoint_result(w.id, false, 200ms));
  bool disabled = testing::wait_until([&] { return *store_->record_endpoint_result(w.id, false, 200ms); }, 10s);
  ASSERT_TRUE(disabled);
  EXPECT_EQ((*store_->get_any(w.id))->status, WebhookStatus::disabled);
  EXPECT_FALSE(*store_->record_endpoint_result(w.id, false, 200ms));
  WebhookPatch enable;
  enable.status = WebhookStatus::enabled;
  ASSERT_TRUE(*store_->update("team-a", w.id, enable));
  auto back = *store_->get_any(w.id);
  EXPECT_EQ(back->status, WebhookStatus::enabled);
  EXPECT_EQ(back->consecutive_failures, 0);
  // A deleted webhook is never recreated by failure tracking.
  ASSERT_TRUE(*store_->remove("team-a", w.id));
  EXPECT_FALSE(*store_->record_endpoint_result(w.id, false, 0ms));
  EXPECT_EQ(run(*pool_, {"EXISTS", keys::webhook(w.id)})->integer, 0);
}

TEST_F(WebhookStoreTest, EnqueueIsIdempotentAndKeepsThePayload) {
  Webhook w = make();
  WebhookMessage m = message(w, "1700000000000-0");
  auto first = store_->enqueue(m);
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  auto again = store_->enqueue(m);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto stored = store_->message(m.id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->payload, m.payload);
  EXPECT_EQ((*stored)->status, DeliveryStatus::pending);
  EXPECT_EQ((*stored)->webhook_id, w.id);
  EXPECT_TRUE((*stored)->attempts.empty());
  EXPECT_EQ(*store_->messages(w.id), std::vector<std::string>{m.id});
}

TEST_F(WebhookStoreTest, OnlyTheHeadOfAChainIsDueAndSuccessAdvancesIt) {
  Webhook w = make();
  WebhookMessage a = message(w, "1700000000000-0"), b = message(w, "1700000000000-1"),
                 c = message(w, "1700000000001-0", "email-2");
  // Enqueued out of order: the chain still orders by stream id.
  ASSERT_TRUE(store_->enqueue(b));
  ASSERT_TRUE(store_->enqueue(a));
  ASSERT_TRUE(store_->enqueue(c));
  std::set<std::string> claimed;
  for (const auto& id : claim_until()) claimed.insert(id);
  EXPECT_EQ(claimed, (std::set<std::string>{a.id, c.id}));
  EXPECT_TRUE(store_->claim_due(10, 60s)->empty());  // leased, and b waits for a

  Finish ok{Finish::Kind::success, 0ms, DeliveryAttempt{200, "ok", std::chrono::system_clock::now()}};
  auto finished = store_->finish(a, ok);
  ASSERT_TRUE(finished);
  EXPECT_TRUE(*finished);
  EXPECT_EQ(claim_until(), std::vector<std::string>{b.id});
  auto done = *store_->message(a.id);
  EXPECT_EQ(done->status, DeliveryStatus::success);
  ASSERT_EQ(done->attempts.size(), 1u);
  EXPECT_EQ(done->attempts[0].http_status_code, 200);
  EXPECT_EQ(done->attempts[0].response, "ok");
  // Finishing twice (a duplicate sender after a lease ran out) changes nothing.
  EXPECT_FALSE(*store_->finish(a, ok));
  EXPECT_EQ((*store_->message(a.id))->attempts.size(), 1u);
}

TEST_F(WebhookStoreTest, RetryKeepsTheChainBlockedUntilGiveUp) {
  Webhook w = make();
  WebhookMessage a = message(w, "1700000000000-0"), b = message(w, "1700000000000-1");
  ASSERT_TRUE(store_->enqueue(a));
  ASSERT_TRUE(store_->enqueue(b));
  ASSERT_EQ(claim_until(), std::vector<std::string>{a.id});
  Finish retry{Finish::Kind::retry, 100ms, DeliveryAttempt{500, "boom", std::chrono::system_clock::now()}};
  ASSERT_TRUE(*store_->finish(a, retry));
  auto waiting = *store_->message(a.id);
  EXPECT_EQ(waiting->status, DeliveryStatus::attempting);
  EXPECT_TRUE(waiting->next_attempt_at);
  // Due again after the delay; b still waits behind it.
  EXPECT_EQ(claim_until(), std::vector<std::string>{a.id});
  Finish give_up{Finish::Kind::give_up, 0ms, DeliveryAttempt{std::nullopt, "timed out", std::chrono::system_clock::now()}};
  ASSERT_TRUE(*store_->finish(a, give_up));
  auto failed = *store_->message(a.id);
  EXPECT_EQ(failed->status, DeliveryStatus::failed);
  ASSERT_EQ(failed->attempts.size(), 2u);
  EXPECT_FALSE(failed->attempts[1].http_status_code);
  EXPECT_FALSE(failed->next_attempt_at);
  EXPECT_EQ(claim_until(), std::vector<std::string>{b.id});
  EXPECT_GT(run(*pool_, {"TTL", keys::webhook_message(a.id)})->integer, 0);
}

TEST_F(WebhookStoreTest, AnExpiredLeaseMakesTheMessageDueAgain) {
  Webhook w = make();
  WebhookMessage a = message(w, "1700000000000-0");
  ASSERT_TRUE(store_->enqueue(a));
  auto first = store_->claim_due(10, 50ms);
  ASSERT_TRUE(first);
  ASSERT_EQ(*first, std::vector<std::string>{a.id});
  EXPECT_EQ(claim_until(), std::vector<std::string>{a.id});
}

TEST(WebhookIds, MessageIdsAreStableSvixShapedAndDistinct) {
  std::string id = derive_message_id("1700000000000-0", "wh-1");
  EXPECT_EQ(id, derive_message_id("1700000000000-0", "wh-1"));
  EXPECT_EQ(id.size(), 31u);
  EXPECT_EQ(id.rfind("msg_", 0), 0u);
  EXPECT_EQ(id.find('.'), std::string::npos);
  for (char c : id.substr(4)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
  EXPECT_NE(id, derive_message_id("1700000000000-1", "wh-1"));
  EXPECT_NE(id, derive_message_id("1700000000000-0", "wh-2"));
}

TEST(WebhookIds, OrderKeysSortLikeStreamIds) {
  EXPECT_LT(stream_order_key("999-5"), stream_order_key("1000-0"));
  EXPECT_LT(stream_order_key("1000-9"), stream_order_key("1000-10"));
  EXPECT_EQ(stream_order_key("1700000000000-3"), "0001700000000000-0000000003");
}

TEST(WebhookEventTypes, KnowsResendsTypes) {
  for (const char* t : {"email.sent", "email.delivered", "email.delivery_delayed", "email.bounced",
                        "email.complained", "email.failed", "email.scheduled", "domain.created", "domain.updated",
                        "domain.deleted"})
    EXPECT_TRUE(is_webhook_event_type(t)) << t;
  for (const char* t : {"", "email", "email.*", "Email.Sent", "email.sent ", "contact.created"})
    EXPECT_FALSE(is_webhook_event_type(t)) << t;
}

}  // namespace
}  // namespace tern::store
