// verified_senders_test.cpp - the production sender policy over a real
// redis-server: only the team's own, verified, exact domain may send.
#include "api/verified_senders.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "store/redis/domain_store.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::api {
namespace {

class VerifiedSendersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
  }

  void add(const std::string& team, const std::string& name, const std::string& status) {
    store::Domain d;
    d.id = new_uuid();
    d.team = team;
    d.name = name;
    d.status = status;
    ASSERT_TRUE(store::DomainStore(*pool_).create(d));
  }

  static inline std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
};

TEST_F(VerifiedSendersTest, OnlyTheTeamsVerifiedDomainMaySend) {
  add("team-a", "verified.test", "verified");
  add("team-a", "pending.test", "pending");
  VerifiedSenders policy(*pool_);
  EXPECT_TRUE(policy.may_send_from("team-a", "verified.test"));
  EXPECT_TRUE(policy.may_send_from("team-a", "Verified.TEST"));

  for (auto [team, domain] : {std::pair{"team-a", "pending.test"}, std::pair{"team-a", "unknown.test"},
                              std::pair{"team-b", "verified.test"}, std::pair{"team-a", "sub.verified.test"}}) {
    auto refused = policy.may_send_from(team, domain);
    ASSERT_FALSE(refused) << team << " " << domain;
    EXPECT_EQ(refused.error().code, Errc::not_found);
  }
  EXPECT_NE(policy.may_send_from("team-a", "pending.test").error().message.find("pending"), std::string::npos);
}

TEST_F(VerifiedSendersTest, RedisTroubleIsNotARefusal) {
  RedisEndpoint nowhere;
  nowhere.port = testing::free_loopback_port();  // nothing listens there
  store::RedisPool dead(nowhere, std::chrono::milliseconds(200));
  VerifiedSenders policy(dead);
  auto result = policy.may_send_from("team-a", "verified.test");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace tern::api
