// bounce_recorder_test.cpp - reports to state, events and suppressions,
// called directly (the SMTP path is in bounce_listener_test.cpp).
#include "worker/bounce_recorder.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "store/util/ids.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::worker {
namespace {

mailer::DsnRecipient failed(std::string final_rcpt, std::string status, std::string diagnostic,
                            std::string original = "") {
  mailer::DsnRecipient r;
  r.final_recipient = std::move(final_rcpt);
  r.original_recipient = std::move(original);
  r.action = mailer::DsnAction::failed;
  r.status = std::move(status);
  r.diagnostic_type = "smtp";
  r.diagnostic_code = std::move(diagnostic);
  return r;
}

mailer::ParsedReport dsn(std::vector<mailer::DsnRecipient> recipients) {
  mailer::ParsedReport report;
  report.reporting_mta = "mx.example.org";
  report.recipients = std::move(recipients);
  return report;
}

TEST(DsnReply, TakesCodesFromTheDiagnosticOrTheStatus) {
  auto r = dsn_reply(failed("a@x", "5.1.1", "550-5.1.1 no such user"), "mx.example.org");
  EXPECT_EQ(r.code, 550);
  EXPECT_EQ(r.enhanced, "5.1.1");
  EXPECT_EQ(r.text, "550-5.1.1 no such user");
  EXPECT_EQ(r.host, "mx.example.org");
  auto x = failed("a@x", "5.2.2", "mailbox full");
  x.diagnostic_type = "x-postfix";
  x.remote_mta = "store.example.org";
  auto y = dsn_reply(x, "mx.example.org");
  EXPECT_EQ(y.code, 550);
  EXPECT_EQ(y.host, "store.example.org");
  auto z = dsn_reply(failed("a@x", "4.4.7", ""), "mx");
  EXPECT_EQ(z.code, 450);
  EXPECT_NE(z.text.find("4.4.7"), std::string::npos);
}

class BounceRecorderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
    recorder_ = std::make_unique<BounceRecorder>(*pool_, clock_);
  }

  std::string create(std::vector<std::string> to) {
    store::EmailContent c;
    c.id = new_uuid();
    c.team = "team-a";
    c.from = "sender@acme.test";
    c.to = std::move(to);
    c.subject = "s";
    c.message_id = "<" + c.id + "@mail.tern.test>";
    c.created_at = clock_.now();
    store::EmailState state = store::initial_state(c);
    for (auto& r : state.recipients) r.status = store::RecipientStatus::delivered;
    state.last_event = "delivered";
    EXPECT_TRUE(store::EmailStore(*pool_).create(c, state, store::EmailEvent{"email.sent", c.created_at, {}, {}}));
    return c.id;
  }

  store::EmailState state(const std::string& id) {
    auto got = store::EmailStore(*pool_).get_any(id);
    EXPECT_TRUE(got && *got);
    return got && *got ? (*got)->state : store::EmailState{};
  }

  bool suppressed(const std::string& address) {
    auto r = store::SuppressionStore(*pool_).is_suppressed("team-a", address);
    return r && r->has_value();
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  SystemClock clock_;
  std::unique_ptr<BounceRecorder> recorder_;
};

std::unique_ptr<testing::RedisServer> BounceRecorderTest::redis_;

TEST_F(BounceRecorderTest, PolicyBounceIsRecordedButNotSuppressed) {
  const std::string id = create({"a@x.org"});
  ASSERT_TRUE(recorder_->on_report(id, dsn({failed("a@x.org", "5.7.1", "550 5.7.1 spam detected")})));
  EXPECT_EQ(state(id).recipients[0].status, store::RecipientStatus::bounced);
  EXPECT_FALSE(suppressed("a@x.org"));
}

TEST_F(BounceRecorderTest, FallsBackToTheOriginalRecipient) {
  const std::string id = create({"alias@x.org", "other@x.org"});
  ASSERT_TRUE(recorder_->on_report(id, dsn({failed("mailbox@internal.x.org", "5.1.1", "550 5.1.1 unknown",
                                                   "Alias@X.org")})));
  auto s = state(id);
  EXPECT_EQ(s.recipients[0].status, store::RecipientStatus::bounced);
  EXPECT_EQ(s.recipients[1].status, store::RecipientStatus::delivered);
  EXPECT_TRUE(suppressed("alias@x.org"));
}

TEST_F(BounceRecorderTest, IgnoresDelaysUnknownEmailsAndStrangers) {
  const std::string id = create({"a@x.org"});
  auto delayed = dsn({failed("a@x.org", "4.4.1", "")});
  delayed.recipients[0].action = mailer::DsnAction::delayed;
  ASSERT_TRUE(recorder_->on_report(id, delayed));
  ASSERT_TRUE(recorder_->on_report(id, dsn({failed("stranger@y.org", "5.1.1", "550 5.1.1 unknown")})));
  ASSERT_TRUE(recorder_->on_report(new_uuid(), dsn({failed("a@x.org", "5.1.1", "550 5.1.1 unknown")})));
  EXPECT_EQ(state(id).last_event, "delivered");
  EXPECT_FALSE(suppressed("a@x.org"));
  EXPECT_FALSE(suppressed("stranger@y.org"));
}

TEST_F(BounceRecorderTest, ComplaintWithoutRecipientUsesTheOnlyRecipient) {
  const std::string single = create({"one@x.org"});
  const std::string several = create({"p@x.org", "q@x.org"});
  mailer::ParsedReport arf;
  arf.kind = mailer::ReportKind::feedback;
  arf.feedback_type = "abuse";
  ASSERT_TRUE(recorder_->on_report(single, arf));
  EXPECT_EQ(state(single).last_event, "complained");
  EXPECT_TRUE(suppressed("one@x.org"));
  ASSERT_TRUE(recorder_->on_report(several, arf));
  EXPECT_EQ(state(several).last_event, "delivered");

  arf.feedback_type = "not-spam";
  const std::string third = create({"three@x.org"});
  ASSERT_TRUE(recorder_->on_report(third, arf));
  EXPECT_EQ(state(third).last_event, "delivered");
}

}  // namespace
}  // namespace tern::worker
