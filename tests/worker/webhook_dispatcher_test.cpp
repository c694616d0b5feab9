// webhook_dispatcher_test.cpp - events in the stream to signed requests at a
// real local receiver, end to end against a real redis-server: signature,
// retries keeping the id, redirects as failures, per-email order,
// subscription filter, tenant isolation, disabled endpoints, disabling after
// continuous failure, and a private target refused before any connection.
#include "worker/webhook_dispatcher.hpp"

#include <algorithm>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"
#include "tests/peers/webhook_receiver.hpp"
#include "worker/webhook_signature.hpp"

namespace tern::worker {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

class WebhookDispatcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    redis_ = std::make_unique<testing::RedisServer>();
    testing::DnsZone zone;
    zone.add_a("hook.test", "127.0.0.1");
    dns_ = std::make_unique<testing::DnsServer>(zone);
  }
  static void TearDownTestSuite() {
    redis_.reset();
    dns_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(store::run(pool_, {"FLUSHALL"}));
    config_.allow_private = true;
    config_.retry_steps = {100ms, 100ms, 100ms, 100ms};
    config_.sender = SenderOptions{2s, {}, 2048};
    config_.senders = 2;
    config_.read_block = 100ms;
    config_.poll_interval = 20ms;
    config_.backoff_on_error = 100ms;
  }
  void TearDown() override {
    if (dispatcher_) dispatcher_->stop();
  }

  void start() {
    dispatcher_ = std::make_unique<WebhookDispatcher>(dispatcher_pool_, *resolver_, clock_, config_, "test-dispatcher");
    dispatcher_->start();
  }

  store::Webhook webhook(const std::string& team, const std::string& endpoint,
                         std::optional<std::vector<std::string>> events = std::nullopt) {
    auto w = webhooks_.create(team, endpoint, std::move(events), clock_.now());
    EXPECT_TRUE(w);
    return *w;
  }

  // send_email - an accepted email; EmailStore publishes email.sent.
  std::string send_email(const std::string& team) {
    store::EmailContent c;
    c.id = new_uuid();
    c.team = team;
    c.from = "Acme <sender@acme.test>";
    c.to = {"alice@example.org"};
    c.subject = "hello";
    c.text = "hi";
    c.tags = {{"category", "welcome"}};
    c.message_id = "<" + c.id + "@tern.test>";
    c.created_at = clock_.now();
    store::EmailState state = store::initial_state(c);
    EXPECT_TRUE(emails_.create(c, state, store::EmailEvent{"email.sent", c.created_at, {"alice@example.org"}, {}}));
    return c.id;
  }

  // publish - what EmailStore::commit_attempt adds to the event stream.
  void publish(const std::string& team, const std::string& email_id, const std::string& type,
               std::optional<store::RemoteReply> reply = std::nullopt) {
    store::EmailEvent e{type, clock_.now(), {"alice@example.org"}, std::move(reply)};
    ASSERT_TRUE(store::run(pool_, {"XADD", std::string(store::keys::kEventStream), "*", "type", type, "team", team,
                                   "subject_id", email_id, "event", store::event_to_json(e)}));
  }

  // drained - every event fanned out and every message finished.
  bool drained() {
    return testing::wait_until([&] {
      auto len = store::run(pool_, {"XLEN", std::string(store::keys::kEventStream)});
      auto due = store::run(pool_, {"ZCARD", std::string(store::keys::kWebhookDueSet)});
      return len && due && len->integer == 0 && due->integer == 0;
    });
  }

  std::vector<store::WebhookMessage> messages(const std::string& webhook_id) {
    std::vector<store::WebhookMessage> out;
    auto ids = webhooks_.messages(webhook_id);
    EXPECT_TRUE(ids);
    if (!ids) return out;
    for (const auto& id : *ids) out.push_back(**webhooks_.message(id));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.order_key < b.order_key; });
    return out;
  }

  static std::string type_of(const testing::ReceivedRequest& r) { return Json::parse(r.body)["type"]; }

  static std::unique_ptr<testing::RedisServer> redis_;
  static std::unique_ptr<testing::DnsServer> dns_;
  SystemClock clock_;
  store::RedisPool pool_{redis_->endpoint()};
  store::RedisPool dispatcher_pool_{redis_->endpoint()};
  store::WebhookStore webhooks_{pool_};
  store::EmailStore emails_{pool_};
  std::unique_ptr<dns::Resolver> resolver_ =
      dns::make_cares_resolver(dns::ResolverOptions{{dns_->server_spec()}, std::chrono::seconds(2), 2});
  WebhookConfig config_;
  std::unique_ptr<WebhookDispatcher> dispatcher_;
};

std::unique_ptr<testing::RedisServer> WebhookDispatcherTest::redis_;
std::unique_ptr<testing::DnsServer> WebhookDispatcherTest::dns_;

TEST_F(WebhookDispatcherTest, AnEventArrivesSignedAndVerifies) {
  testing::WebhookReceiver receiver;
  store::Webhook w = webhook("team-a", receiver.url());
  start();
  std::string email_id = send_email("team-a");
  ASSERT_TRUE(receiver.wait_for_count(1));
  auto r = receiver.requests()[0];
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["webhook-id"].rfind("msg_", 0), 0u);
  EXPECT_EQ(r.headers["svix-id"], r.headers["webhook-id"]);
  EXPECT_EQ(r.headers["svix-timestamp"], r.headers["webhook-timestamp"]);
  EXPECT_EQ(r.headers["svix-signature"], r.headers["webhook-signature"]);
  EXPECT_TRUE(verify(w.signing_secret, r.headers["webhook-id"], std::stoll(r.headers["webhook-timestamp"]), r.body,
                     r.headers["webhook-signature"]));
  EXPECT_FALSE(verify("whsec_" + std::string(32, 'A'), r.headers["webhook-id"],
                      std::stoll(r.headers["webhook-timestamp"]), r.body, r.headers["webhook-signature"]));
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["type"], "email.sent");
  EXPECT_EQ(body["data"]["email_id"], email_id);
  EXPECT_EQ(body["data"]["tags"], (Json{{"category", "welcome"}}));
  ASSERT_TRUE(drained());
  auto sent = messages(w.id);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].id, r.headers["webhook-id"]);
  EXPECT_EQ(sent[0].status, store::DeliveryStatus::success);
  ASSERT_EQ(sent[0].attempts.size(), 1u);
  EXPECT_EQ(sent[0].attempts[0].http_status_code, 200);
}

TEST_F(WebhookDispatcherTest, AFailingEndpointIsRetriedWithTheSameId) {
  testing::WebhookReceiver receiver;
  receiver.fail_next(2, 500);
  store::Webhook w = webhook("team-a", receiver.url());
  start();
  send_email("team-a");
  ASSERT_TRUE(receiver.wait_for_count(3));
  ASSERT_TRUE(drained());
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  for (auto& r : got) {
    EXPECT_EQ(r.headers["webhook-id"], got[0].headers["webhook-id"]);
    EXPECT_EQ(r.body, got[0].body);
    EXPECT_TRUE(verify(w.signing_secret, r.headers["webhook-id"], std::stoll(r.headers["webhook-timestamp"]), r.body,
                       r.headers["webhook-signature"]));
  }
  auto m = messages(w.id);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].status, store::DeliveryStatus::success);
  ASSERT_EQ(m[0].attempts.size(), 3u);
  EXPECT_EQ(m[0].attempts[0].http_status_code, 500);
  EXPECT_EQ(m[0].attempts[1].http_status_code, 500);
  EXPECT_EQ(m[0].attempts[2].http_status_code, 200);
  EXPECT_EQ((*webhooks_.get_any(w.id))->consecutive_failures, 0);
}

TEST_F(WebhookDispatcherTest, AHangingEndpointTimesOutIsRetriedAndHoldsUpNobodyElse) {
  testing::WebhookReceiver hanging, healthy;
  hanging.hang_next(1);
  config_.sender.timeout = 300ms;
  store::Webhook slow = webhook("team-a", hanging.url());
  webhook("team-a", healthy.url());
  start();
  send_email("team-a");
  ASSERT_TRUE(healthy.wait_for_count(1));
  ASSERT_TRUE(hanging.wait_for_count(2));  // the timed-out request, then the retry
  ASSERT_TRUE(drained());
  hanging.release();
  auto m = messages(slow.id);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].attempts.size(), 2u);
  EXPECT_FALSE(m[0].attempts[0].http_status_code);
  EXPECT_EQ(m[0].attempts[1].http_status_code, 200);
  EXPECT_EQ(m[0].status, store::DeliveryStatus::success);
}

TEST_F(WebhookDispatcherTest, ARedirectIsAFailureAndIsNotFollowed) {
  testing::WebhookReceiver receiver;
  testing::WebhookReceiver elsewhere;
  receiver.redirect_next(1, elsewhere.url());
  store::Webhook w = webhook("team-a", receiver.url());
  start();
  send_email("team-a");
  ASSERT_TRUE(receiver.wait_for_count(2));
  ASSERT_TRUE(drained());
  EXPECT_EQ(elsewhere.count(), 0u);
  auto m = messages(w.id);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].attempts.size(), 2u);
  EXPECT_EQ(m[0].attempts[0].http_status_code, 302);
  EXPECT_EQ(m[0].status, store::DeliveryStatus::success);
}

TEST_F(WebhookDispatcherTest, EventsOfOneEmailArriveInOrderEvenAfterAFailure) {
  testing::WebhookReceiver receiver;
  receiver.fail_next(1, 500);  // the first event must be retried before the rest go
  webhook("team-a", receiver.url());
  start();
  std::string id = send_email("team-a");
  publish("team-a", id, "email.delivery_delayed", store::RemoteReply{451, "4.3.0", "4.3.0 try later", "mx"});
  publish("team-a", id, "email.delivered", store::RemoteReply{250, "2.0.0", "2.0.0 ok", "mx"});
  publish("team-a", id, "email.complained");
  ASSERT_TRUE(receiver.wait_for_count(5));
  ASSERT_TRUE(drained());
  std::vector<std::string> types;
  for (const auto& r : receiver.requests()) types.push_back(type_of(r));
  EXPECT_EQ(types, (std::vector<std::string>{"email.sent", "email.sent", "email.delivery_delayed", "email.delivered",
                                             "email.complained"}));
}

TEST_F(WebhookDispatcherTest, OnlySubscribedTypesAndOnlyTheTeamsWebhooksGetEvents) {
  testing::WebhookReceiver all, bounces, other_team;
  webhook("team-a", all.url());
  webhook("team-a", bounces.url(), std::vector<std::string>{"email.bounced"});
  webhook("team-b", other_team.url());
  start();
  std::string id = send_email("team-a");
  publish("team-a", id, "email.bounced", store::RemoteReply{550, "5.1.1", "5.1.1 user unknown", "mx"});
  ASSERT_TRUE(all.wait_for_count(2));
  ASSERT_TRUE(bounces.wait_for_count(1));
  ASSERT_TRUE(drained());
  EXPECT_EQ(all.count(), 2u);
  ASSERT_EQ(bounces.count(), 1u);
  Json bounce = Json::parse(bounces.requests()[0].body);
  EXPECT_EQ(bounce["type"], "email.bounced");
  EXPECT_EQ(bounce["data"]["bounce"]["subType"], "NoEmail");
  EXPECT_EQ(other_team.count(), 0u);
}

TEST_F(WebhookDispatcherTest, ADisabledEndpointReceivesNothing) {
  testing::WebhookReceiver disabled, enabled;
  store::Webhook off = webhook("team-a", disabled.url());
  webhook("team-a", enabled.url());
  store::WebhookPatch patch;
  patch.status = store::WebhookStatus::disabled;
  ASSERT_TRUE(*webhooks_.update("team-a", off.id, patch));
  start();
  send_email("team-a");
  ASSERT_TRUE(enabled.wait_for_count(1));
  ASSERT_TRUE(drained());
  EXPECT_EQ(disabled.count(), 0u);
  EXPECT_TRUE(messages(off.id).empty());
}

TEST_F(WebhookDispatcherTest, MessagesOfADeletedWebhookAreAbandonedUnsent) {
  testing::WebhookReceiver receiver;
  store::Webhook w = webhook("team-a", receiver.url());
  store::WebhookMessage m;
  m.id = store::derive_message_id("1700000000000-0", w.id);
  m.webhook_id = w.id;
  m.team = "team-a";
  m.type = "email.sent";
  m.subject_id = "email-1";
  m.order_key = store::stream_order_key("1700000000000-0");
  m.payload = "{}";
  ASSERT_TRUE(webhooks_.enqueue(m));
  ASSERT_TRUE(*webhooks_.remove("team-a", w.id));
  start();
  ASSERT_TRUE(drained());
  EXPECT_EQ(receiver.count(), 0u);
  auto left = *webhooks_.message(m.id);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->status, store::DeliveryStatus::failed);
  EXPECT_TRUE(left->attempts.empty());
}

TEST_F(WebhookDispatcherTest, AnEndpointFailingContinuouslyIsDisabled) {
  testing::WebhookReceiver receiver;
  receiver.fail_next(1000, 503);
  config_.retry_steps = std::vector<std::chrono::milliseconds>(50, 50ms);
  config_.disable_after = 300ms;
  store::Webhook w = webhook("team-a", receiver.url());
  start();
  send_email("team-a");
  ASSERT_TRUE(testing::wait_until(
      [&] { return (*webhooks_.get_any(w.id))->status == store::WebhookStatus::disabled; }));
  ASSERT_TRUE(drained());  // the message is abandoned once its webhook is disabled
  auto m = messages(w.id);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].status, store::DeliveryStatus::failed);
  EXPECT_GE(m[0].attempts.size(), 2u);
  const std::size_t seen = receiver.count();
  EXPECT_EQ(seen, m[0].attempts.size());
  send_email("team-a");  // a disabled webhook gets no new messages
  ASSERT_TRUE(drained());
  EXPECT_EQ(receiver.count(), seen);
}

TEST_F(WebhookDispatcherTest, APrivateTargetIsRefusedBeforeAnyConnection) {
  testing::WebhookReceiver receiver;
  config_.allow_private = false;
  config_.retry_steps = {50ms};
  // hook.test resolves (through dnsmasq) to 127.0.0.1, where the receiver
  // listens: a guard that resolved but did not check would reach it.
  store::Webhook w = webhook("team-a", "http://hook.test:" + std::to_string(receiver.port()) + "/hook");
  start();
  send_email("team-a");
  ASSERT_TRUE(drained());
  EXPECT_EQ(receiver.count(), 0u);
  auto m = messages(w.id);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].status, store::DeliveryStatus::failed);
  ASSERT_EQ(m[0].attempts.size(), 2u);
  EXPECT_FALSE(m[0].attempts[0].http_status_code);
  EXPECT_NE(m[0].attempts[0].response.find("127.0.0.1"), std::string::npos) << m[0].attempts[0].response;
}

}  // namespace
}  // namespace tern::worker
