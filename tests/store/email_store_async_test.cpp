// email_store_async_test.cpp - EmailStore::record_async_outcome against a
// real redis-server (kept apart from email_store_test.cpp, which another
// change owns; the rest of EmailStore is tested there and in queue_test.cpp).
#include "store/redis/email_store.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

class EmailStoreAsyncTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<RedisPool>(redis_->endpoint());
    ASSERT_TRUE(run(*pool_, {"FLUSHALL"}));
    emails_ = std::make_unique<EmailStore>(*pool_);
    content_.id = new_uuid();
    content_.team = "team-a";
    content_.from = "Acme <sender@acme.test>";
    content_.to = {"Alice@Example.org", "bob@example.org"};
    content_.subject = "hi";
    content_.text = "hello";
    content_.message_id = "<" + content_.id + "@mail.tern.test>";
    content_.created_at = from_unix_ms(1'760'000'000'000);
    EmailState state = initial_state(content_);
    for (auto& r : state.recipients) r.status = RecipientStatus::delivered;
    state.last_event = "delivered";
    ASSERT_TRUE(emails_->create(content_, state, EmailEvent{"email.sent", content_.created_at, {}, std::nullopt}));
  }

  long long stream_length() {
    auto r = run(*pool_, {"XLEN", std::string(keys::kEventStream)});
    return r ? r->integer : -1;
  }

  AsyncOutcome bounce(std::string recipient) {
    return AsyncOutcome{std::move(recipient), RecipientStatus::bounced,
                        RemoteReply{550, "5.1.1", "user unknown", "mx.example.org"}, "email.bounced",
                        content_.created_at + 1min};
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<EmailStore> emails_;
  EmailContent content_;
};

std::unique_ptr<testing::RedisServer> EmailStoreAsyncTest::redis_;

TEST_F(EmailStoreAsyncTest, BounceMarksTheRecipientAndPublishes) {
  const long long before = stream_length();
  auto r = emails_->record_async_outcome(content_.id, bounce("alice@EXAMPLE.org"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, AsyncRecordStatus::recorded);
  EXPECT_EQ(r->team, "team-a");
  EXPECT_EQ(r->recipient, "Alice@Example.org");

  auto got = emails_->get("team-a", content_.id);
  ASSERT_TRUE(got && *got);
  const EmailState& state = (*got)->state;
  EXPECT_EQ(state.last_event, "bounced");
  EXPECT_EQ(state.recipients[0].status, RecipientStatus::bounced);
  ASSERT_TRUE(state.recipients[0].last_reply);
  EXPECT_EQ(state.recipients[0].last_reply->enhanced, "5.1.1");
  EXPECT_EQ(state.recipients[1].status, RecipientStatus::delivered);

  auto events = emails_->events(content_.id);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().type, "email.bounced");
  EXPECT_EQ(events->back().recipients, std::vector<std::string>{"Alice@Example.org"});
  EXPECT_EQ(stream_length(), before + 1);
}

TEST_F(EmailStoreAsyncTest, DuplicateReportsAreRecordedOnce) {
  ASSERT_EQ(emails_->record_async_outcome(content_.id, bounce("alice@example.org"))->status,
            AsyncRecordStatus::recorded);
  const long long before = stream_length();
  auto again = emails_->record_async_outcome(content_.id, bounce("alice@example.org"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, AsyncRecordStatus::duplicate);
  EXPECT_EQ(stream_length(), before);
}

TEST_F(EmailStoreAsyncTest, ComplaintKeepsStatusAndSetsLastEvent) {
  AsyncOutcome complaint{"bob@example.org", std::nullopt, std::nullopt, "email.complained", content_.created_at};
  auto r = emails_->record_async_outcome(content_.id, complaint);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, AsyncRecordStatus::recorded);
  auto got = emails_->get("team-a", content_.id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->state.last_event, "complained");
  EXPECT_EQ((*got)->state.recipients[1].status, RecipientStatus::delivered);
}

TEST_F(EmailStoreAsyncTest, UnknownEmailOrRecipientWritesNothing) {
  const long long before = stream_length();
  auto no_email = emails_->record_async_outcome(new_uuid(), bounce("alice@example.org"));
  ASSERT_TRUE(no_email);
  EXPECT_EQ(no_email->status, AsyncRecordStatus::unknown_email);
  auto no_rcpt = emails_->record_async_outcome(content_.id, bounce("mallory@example.org"));
  ASSERT_TRUE(no_rcpt);
  EXPECT_EQ(no_rcpt->status, AsyncRecordStatus::unknown_recipient);
  EXPECT_EQ(stream_length(), before);
  // The pooled connection was left without a WATCH: a transaction still works.
  auto ok = emails_->record_async_outcome(content_.id, bounce("bob@example.org"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, AsyncRecordStatus::recorded);
}

}  // namespace
}  // namespace tern::store
