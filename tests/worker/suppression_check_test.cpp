// suppression_check_test.cpp - skipping listed recipients, and what counts
// as a hard bounce (pure parts, plus the lookup against a real redis).
#include "worker/suppression_check.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "tests/peers/redis_runner.hpp"

namespace tern::worker {
namespace {

const TimePoint kNow = from_unix_ms(1'760'000'000'000);

store::EmailState three_recipients() {
  store::EmailState s;
  s.last_event = "sent";
  s.recipients = {{"a@x.org", store::RecipientStatus::queued, 0, std::nullopt},
                  {"b@x.org", store::RecipientStatus::deferred, 1, std::nullopt},
                  {"c@x.org", store::RecipientStatus::delivered, 1, std::nullopt}};
  return s;
}

store::Suppression entry(std::string email, store::SuppressionOrigin origin) {
  return store::Suppression{"id-" + email, std::move(email), origin, std::nullopt, kNow};
}

TEST(SuppressionCheck, MarksListedPendingRecipients) {
  auto state = three_recipients();
  auto check = mark_suppressed(state, {{"a@x.org", entry("a@x.org", store::SuppressionOrigin::bounce)}}, kNow);
  EXPECT_EQ(check.suppressed, std::vector<std::string>{"a@x.org"});
  ASSERT_EQ(check.events.size(), 1u);
  EXPECT_EQ(check.events[0].type, "email.suppressed");
  EXPECT_EQ(check.events[0].recipients, std::vector<std::string>{"a@x.org"});
  EXPECT_FALSE(check.all_suppressed);
  EXPECT_EQ(state.recipients[0].status, store::RecipientStatus::suppressed);
  ASSERT_TRUE(state.recipients[0].last_reply);
  EXPECT_NE(state.recipients[0].last_reply->text.find("previous_bounce"), std::string::npos);
  EXPECT_EQ(state.last_event, "sent");
  EXPECT_FALSE(state.finished());  // b is still deferred
}

TEST(SuppressionCheck, AllPendingSuppressedSetsLastEvent) {
  auto state = three_recipients();
  auto check = mark_suppressed(state,
                               {{"a@x.org", entry("a@x.org", store::SuppressionOrigin::manual)},
                                {"b@x.org", entry("b@x.org", store::SuppressionOrigin::complaint)},
                                {"c@x.org", entry("c@x.org", store::SuppressionOrigin::bounce)}},  // not pending
                               kNow);
  EXPECT_EQ(check.suppressed.size(), 2u);
  EXPECT_TRUE(check.all_suppressed);
  EXPECT_EQ(state.last_event, "suppressed");
  EXPECT_EQ(state.recipients[2].status, store::RecipientStatus::delivered);
  EXPECT_TRUE(state.finished());
}

TEST(SuppressionCheck, HardBounces) {
  EXPECT_TRUE(is_hard_bounce({550, "5.1.1", "user unknown", "mx"}));
  EXPECT_TRUE(is_hard_bounce({550, "", "no such user", "mx"}));
  EXPECT_TRUE(is_hard_bounce({550, "4.2.2", "disagreeing codes: basic decides", "mx"}));
  EXPECT_TRUE(is_hard_bounce({552, "5.2.2", "mailbox full", "mx"}));
  EXPECT_FALSE(is_hard_bounce({550, "5.7.1", "spam", "mx"}));
  EXPECT_FALSE(is_hard_bounce({550, "5.7.26", "DMARC", "mx"}));
  EXPECT_FALSE(is_hard_bounce({552, "5.3.4", "too big", "mx"}));
  EXPECT_FALSE(is_hard_bounce({554, "5.6.0", "content", "mx"}));
  EXPECT_FALSE(is_hard_bounce({450, "4.2.0", "later", "mx"}));
  EXPECT_FALSE(is_hard_bounce({0, "5.1.2", "local: NXDOMAIN", ""}));
}

class SuppressionCheckRedisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
  }
  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
};

std::unique_ptr<testing::RedisServer> SuppressionCheckRedisTest::redis_;

TEST_F(SuppressionCheckRedisTest, HardBounceListsAndLaterSendSkips) {
  store::SuppressionStore suppressions(*pool_);
  auto soft = record_hard_bounce(suppressions, "team-a", "B@X.org", "email-0", {550, "5.7.1", "spam", "mx"}, kNow);
  ASSERT_TRUE(soft);
  EXPECT_FALSE(*soft);
  auto hard = record_hard_bounce(suppressions, "team-a", "B@X.org", "email-1", {550, "5.1.1", "unknown", "mx"}, kNow);
  ASSERT_TRUE(hard);
  EXPECT_TRUE(*hard);

  store::StoredEmail email;
  email.content.team = "team-a";
  email.state = three_recipients();
  store::EmailState state = email.state;
  auto check = apply_suppressions(suppressions, email, state, kNow);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->suppressed, std::vector<std::string>{"b@x.org"});
  EXPECT_EQ(state.recipients[1].status, store::RecipientStatus::suppressed);
  EXPECT_EQ(state.recipients[0].status, store::RecipientStatus::queued);

  email.content.team = "team-b";  // another team's list does not apply
  store::EmailState other = email.state;
  auto none = apply_suppressions(suppressions, email, other, kNow);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->suppressed.empty());
}

}  // namespace
}  // namespace tern::worker
