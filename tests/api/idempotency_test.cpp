// idempotency_test.cpp - the Idempotency-Key header: pure key and body
// rules, then replay / conflict / concurrency over HTTP on a real Redis.
#include "api/idempotency.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/redis/idempotency_store.hpp"
#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"
#include "tests/api/api_test_server.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;
using test_support::email_json;

ApiRequest with_key(std::optional<std::string> key) {
  ApiRequest request;
  if (key) request.headers["idempotency-key"] = *key;
  return request;
}

TEST(IdempotencyKey, LengthRules) {
  EXPECT_FALSE(read_idempotency_key(with_key(std::nullopt)).value());
  EXPECT_EQ(read_idempotency_key(with_key("k")).value(), "k");
  EXPECT_TRUE(read_idempotency_key(with_key(std::string(256, 'k'))));
  for (const std::string& bad : {std::string(), std::string(257, 'k')}) {
    auto r = read_idempotency_key(with_key(bad));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().name, "invalid_idempotency_key");
  }
}

TEST(IdempotencyKey, CanonicalBodyHashIgnoresKeyOrderAndSpacing) {
  EXPECT_EQ(canonical_body_hash(R"({"a":1,"b":[1,2]})"), canonical_body_hash("{ \"b\" : [1, 2],\n \"a\": 1 }"));
  EXPECT_NE(canonical_body_hash(R"({"a":1})"), canonical_body_hash(R"({"a":2})"));
  EXPECT_NE(canonical_body_hash(R"([{"a":1},{"b":2}])"), canonical_body_hash(R"([{"b":2},{"a":1}])"));
  EXPECT_EQ(canonical_body_hash("not json"), hex_encode(sha256("not json")));
}

class IdempotencyRouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<tern::testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override { server_ = std::make_unique<test_support::ApiTestServer>(*redis_, ApiOptions{}, senders_); }

  test_support::Answer send(const std::string& body, const std::string& key, const std::string& path = "/emails") {
    return server_->call("POST", path, body, "", {{"Idempotency-Key", key}});
  }
  long long team_email_count() {
    return store::run(server_->pool(), {"ZCARD", store::keys::team_emails("team-a")})->integer;
  }

  static std::unique_ptr<tern::testing::RedisServer> redis_;
  AllowAllSenders senders_;
  std::unique_ptr<test_support::ApiTestServer> server_;
};

std::unique_ptr<tern::testing::RedisServer> IdempotencyRouteTest::redis_;

TEST_F(IdempotencyRouteTest, SameKeySameBodyReplaysAndCreatesNothing) {
  auto first = send(email_json().dump(), "order-42");
  ASSERT_EQ(first.status, 200) << first.raw;
  // Same body with its keys in another order is the same request.
  Json reordered = Json::parse(R"({"html":"<p>hi</p>","subject":"hello","to":"a@example.org",
                                  "from":"Acme <onboarding@acme.test>"})");
  auto second = send(reordered.dump(), "order-42");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.body["id"], first.body["id"]);
  EXPECT_EQ(team_email_count(), 1);
  // The key is scoped to the team.
  auto other_team = server_->call("POST", "/emails", email_json().dump(), server_->other_token,
                                  {{"Idempotency-Key", "order-42"}});
  ASSERT_EQ(other_team.status, 200);
  EXPECT_NE(other_team.body["id"], first.body["id"]);
}

TEST_F(IdempotencyRouteTest, SameKeyOtherBodyIsRefused) {
  ASSERT_EQ(send(email_json().dump(), "k1").status, 200);
  auto changed = send(email_json("b@example.org").dump(), "k1");
  EXPECT_EQ(changed.status, 409);
  EXPECT_EQ(changed.body["name"], "invalid_idempotent_request");
  EXPECT_EQ(team_email_count(), 1);
}

TEST_F(IdempotencyRouteTest, AKeyInFlightIsAConcurrentRequest) {
  // Hold the key the way a first, still running request would.
  const std::string redis_key =
      store::keys::idempotency("team-a", "POST", "/emails", hex_encode(sha256("busy-key")));
  store::IdempotencyStore records(server_->pool());
  ASSERT_EQ(records.reserve(redis_key, canonical_body_hash(email_json().dump()))->state,
            store::IdempotencyState::reserved);
  auto answer = send(email_json().dump(), "busy-key");
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.body["name"], "concurrent_idempotent_requests");
  EXPECT_EQ(team_email_count(), 0);
}

TEST_F(IdempotencyRouteTest, AFailedRequestReleasesTheKey) {
  auto bad = send(R"({"from":"Acme <a@acme.test>","subject":"x","html":"y"})", "k2");
  EXPECT_EQ(bad.status, 422);
  auto fixed = send(email_json().dump(), "k2");
  EXPECT_EQ(fixed.status, 200) << fixed.raw;
}

TEST_F(IdempotencyRouteTest, BadKeysAndTheBatchEndpoint) {
  auto too_long = send(email_json().dump(), std::string(257, 'x'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.body["name"], "invalid_idempotency_key");
  const std::string batch = Json::array({email_json(), email_json("b@example.org")}).dump();
  auto first = send(batch, "batch-1", "/emails/batch");
  ASSERT_EQ(first.status, 200) << first.raw;
  auto again = send(batch, "batch-1", "/emails/batch");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(team_email_count(), 2);
  // Same key on another endpoint is another key.
  EXPECT_EQ(send(email_json().dump(), "batch-1").status, 200);
}

}  // namespace
}  // namespace tern::api
