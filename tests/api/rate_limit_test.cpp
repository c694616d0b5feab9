// rate_limit_test.cpp - the ratelimit-* headers and the 429, pure and over
// HTTP with a real Redis (off by default; a global limit; an override).
#include "api/rate_limit.hpp"

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "tests/api/api_test_server.hpp"

namespace tern::api {
namespace {

using test_support::email_json;

TEST(RateLimitHeaders, OnlyWhenALimitApplies) {
  EXPECT_TRUE(rate_limit_headers(store::RateDecision{}).empty());
  store::RateDecision d;
  d.applies = true;
  d.limit = 10;
  d.remaining = 7;
  d.reset_seconds = 1;
  const auto headers = rate_limit_headers(d);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[0], (std::pair<std::string, std::string>{"ratelimit-limit", "10"}));
  EXPECT_EQ(headers[1], (std::pair<std::string, std::string>{"ratelimit-remaining", "7"}));
  EXPECT_EQ(headers[2], (std::pair<std::string, std::string>{"ratelimit-reset", "1"}));
  d.allowed = false;
  d.retry_after_seconds = 2;
  EXPECT_EQ(rate_limit_headers(d).back(), (std::pair<std::string, std::string>{"retry-after", "2"}));
}

TEST(RateLimitHeaders, ErrorBodyNamesTheRate) {
  store::RateDecision d;
  d.limit = 10;
  const ApiError e = rate_limit_error(d);
  EXPECT_EQ(e.status, 429);
  EXPECT_EQ(e.name, "rate_limit_exceeded");
  EXPECT_EQ(e.message.rfind("Too many requests. You can only make 10 requests per second.", 0), 0u) << e.message;
  d.window = Seconds(60);
  EXPECT_NE(rate_limit_error(d).message.find("10 requests per minute"), std::string::npos);
}

class RateLimitRouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<tern::testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  void start(RateLimitConfig limit) {
    ApiOptions options;
    options.rate_limit = limit;
    server_ = std::make_unique<test_support::ApiTestServer>(*redis_, options, senders_);
  }

  static std::unique_ptr<tern::testing::RedisServer> redis_;
  AllowAllSenders senders_;
  std::unique_ptr<test_support::ApiTestServer> server_;
};

std::unique_ptr<tern::testing::RedisServer> RateLimitRouteTest::redis_;

TEST_F(RateLimitRouteTest, OffByDefaultNoHeaders) {
  start(RateLimitConfig{});
  for (int i = 0; i < 5; ++i) {
    auto answer = server_->call("GET", "/emails");
    ASSERT_EQ(answer.status, 200);
    EXPECT_EQ(answer.header("ratelimit-limit"), "");
  }
}

TEST_F(RateLimitRouteTest, HeadersOnEveryAnswerThen429WithRetryAfter) {
  start(RateLimitConfig{2, Seconds(60), 0});  // refilling a token takes 30 s: longer than the test
  auto first = server_->call("POST", "/emails", email_json().dump());
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.header("ratelimit-limit"), "2");
  EXPECT_EQ(first.header("ratelimit-remaining"), "1");
  EXPECT_NE(first.header("ratelimit-reset"), "");
  // Errors count and carry the headers too.
  auto second = server_->call("GET", "/emails/not-a-uuid");
  EXPECT_EQ(second.status, 422);
  EXPECT_EQ(second.header("ratelimit-remaining"), "0");
  auto third = server_->call("GET", "/emails");
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.body["name"], "rate_limit_exceeded");
  EXPECT_EQ(third.body["statusCode"], 429);
  EXPECT_EQ(third.header("ratelimit-remaining"), "0");
  EXPECT_GE(std::stoi(third.header("retry-after")), 1);
  EXPECT_EQ(third.header("Content-Type").rfind("application/json", 0), 0u);
  // The limit is per team.
  EXPECT_EQ(server_->call("GET", "/emails", "", server_->other_token).status, 200);
  // A request without a key is not counted against anyone.
  EXPECT_EQ(server_->call("GET", "/emails", "", "-").status, 401);
}

TEST_F(RateLimitRouteTest, PerTeamOverrideKey) {
  start(RateLimitConfig{1, Seconds(60), 0});
  ASSERT_TRUE(store::run(server_->pool(), {"SET", store::keys::team_rate_limit("team-b"), "off"}));
  for (int i = 0; i < 3; ++i) {
    auto answer = server_->call("GET", "/emails", "", server_->other_token);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.header("ratelimit-limit"), "");
  }
  EXPECT_EQ(server_->call("GET", "/emails").status, 200);
  EXPECT_EQ(server_->call("GET", "/emails").status, 429);
}

}  // namespace
}  // namespace tern::api
