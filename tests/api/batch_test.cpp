// batch_test.cpp - POST /emails/batch: the pure parser (modes, limits,
// attachments refused) and the route over HTTP against a real Redis
// (strict creates nothing on an error, permissive reports per index).
#include "api/batch.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/redis/keys.hpp"
#include "tests/api/api_test_server.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;
using test_support::email_json;

const TimePoint kNow = from_unix_ms(1'780'000'000'000);

ApiRequest with_mode(const char* mode) {
  ApiRequest request;
  if (mode) request.headers["x-batch-validation"] = mode;
  return request;
}

TEST(BatchParse, ValidationHeader) {
  EXPECT_EQ(*read_batch_validation(with_mode(nullptr)), BatchValidation::strict);
  EXPECT_EQ(*read_batch_validation(with_mode("strict")), BatchValidation::strict);
  EXPECT_EQ(*read_batch_validation(with_mode("permissive")), BatchValidation::permissive);
  auto bad = read_batch_validation(with_mode("lenient"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().status, 422);
  EXPECT_EQ(bad.error().name, "validation_error");
}

TEST(BatchParse, StrictStopsAtTheFirstInvalidEmail) {
  Json body = Json::array({email_json(), Json{{"from", "a@b.test"}, {"subject", "x"}, {"html", "y"}}});
  auto r = parse_batch(body.dump(), BatchValidation::strict, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().name, "missing_required_field");
  EXPECT_EQ(r.error().message, "Missing `to` field.");
}

TEST(BatchParse, PermissiveKeepsTheValidOnesAndIndexesTheRest) {
  Json body = Json::array({email_json("a@example.org"), Json{{"from", "a@b.test"}, {"subject", "x"}, {"html", "y"}},
                           email_json("c@example.org"), Json("not an object")});
  auto r = parse_batch(body.dump(), BatchValidation::permissive, kNow);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->valid.size(), 2u);
  EXPECT_EQ(r->valid[0].first, 0u);
  EXPECT_EQ(r->valid[1].first, 2u);
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].index, 1u);
  EXPECT_EQ(r->errors[0].error.message, "Missing `to` field.");
  EXPECT_EQ(r->errors[1].index, 3u);
}

TEST(BatchParse, ShapeAndSizeLimits) {
  EXPECT_EQ(parse_batch(email_json().dump(), BatchValidation::strict, kNow).error().name, "validation_error");
  EXPECT_EQ(parse_batch("[]", BatchValidation::strict, kNow).error().name, "validation_error");
  EXPECT_EQ(parse_batch("[", BatchValidation::strict, kNow).error().name, "validation_error");
  Json many = Json::array();
  for (std::size_t i = 0; i < kMaxBatchEmails; ++i) many.push_back(email_json());
  EXPECT_TRUE(parse_batch(many.dump(), BatchValidation::strict, kNow));
  many.push_back(email_json());
  auto too_many = parse_batch(many.dump(), BatchValidation::permissive, kNow);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().message.find("at most 100"), std::string::npos);
}

TEST(BatchParse, AttachmentsAreRefusedScheduleIsChecked) {
  Json with_attachment = email_json();
  with_attachment["attachments"] = Json::array({Json{{"content", "eA=="}, {"filename", "a.txt"}}});
  auto refused = parse_batch(Json::array({with_attachment}).dump(), BatchValidation::strict, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 422);
  EXPECT_EQ(refused.error().name, "invalid_attachment");
  Json empty_list = email_json();
  empty_list["attachments"] = Json::array();
  EXPECT_TRUE(parse_batch(Json::array({empty_list}).dump(), BatchValidation::strict, kNow));
  Json far = email_json();
  far["scheduled_at"] = "in 40 days";
  EXPECT_EQ(parse_batch(Json::array({far}).dump(), BatchValidation::strict, kNow).error().name, "validation_error");
}

class BatchRouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<tern::testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override { server_ = std::make_unique<test_support::ApiTestServer>(*redis_, ApiOptions{}, senders_); }

  long long team_email_count() {
    return store::run(server_->pool(), {"ZCARD", store::keys::team_emails("team-a")})->integer;
  }

  static std::unique_ptr<tern::testing::RedisServer> redis_;
  AllowAllSenders senders_;
  std::unique_ptr<test_support::ApiTestServer> server_;
};

std::unique_ptr<tern::testing::RedisServer> BatchRouteTest::redis_;

TEST_F(BatchRouteTest, StrictCreatesAllInInputOrder) {
  Json body = Json::array({email_json("a@example.org", "first"), email_json("b@example.org", "second")});
  auto answer = server_->call("POST", "/emails/batch", body.dump(), server_->sending_token,
                              {{"x-batch-validation", "strict"}});
  ASSERT_EQ(answer.status, 200) << answer.raw;
  ASSERT_EQ(answer.body["data"].size(), 2u);
  EXPECT_FALSE(answer.body.contains("errors"));
  for (int i = 0; i < 2; ++i) {
    auto email = server_->call("GET", "/emails/" + answer.body["data"][i]["id"].get<std::string>());
    ASSERT_EQ(email.status, 200);
    EXPECT_EQ(email.body["subject"], i == 0 ? "first" : "second");
  }
}

TEST_F(BatchRouteTest, StrictErrorCreatesNothing) {
  Json body = Json::array({email_json(), Json{{"from", "Acme <a@acme.test>"}, {"subject", "x"}, {"html", "y"}}});
  auto answer = server_->call("POST", "/emails/batch", body.dump());
  EXPECT_EQ(answer.status, 422);
  EXPECT_EQ(answer.body["name"], "missing_required_field");
  EXPECT_EQ(answer.body["statusCode"], 422);
  EXPECT_EQ(team_email_count(), 0);
}

TEST_F(BatchRouteTest, PermissiveCreatesTheValidOnes) {
  Json body = Json::array({email_json(), Json{{"from", "Acme <a@acme.test>"}, {"subject", "x"}, {"html", "y"}},
                           email_json("c@example.org")});
  auto answer = server_->call("POST", "/emails/batch", body.dump(), "", {{"x-batch-validation", "permissive"}});
  ASSERT_EQ(answer.status, 200) << answer.raw;
  EXPECT_EQ(answer.body["data"].size(), 2u);
  ASSERT_EQ(answer.body["errors"].size(), 1u);
  EXPECT_EQ(answer.body["errors"][0]["index"], 1);
  EXPECT_EQ(answer.body["errors"][0]["message"], "Missing `to` field.");
  EXPECT_EQ(team_email_count(), 2);
}

TEST_F(BatchRouteTest, SenderPolicyIsAppliedPerEmail) {
  class OnlyAcme final : public SenderPolicy {
   public:
    Result<void> may_send_from(std::string_view, std::string_view domain) override {
      if (domain == "acme.test") return {};
      return fail(Errc::not_found, "not verified");
    }
  } only_acme;
  server_.reset();
  server_ = std::make_unique<test_support::ApiTestServer>(*redis_, ApiOptions{}, only_acme);
  Json stranger = email_json();
  stranger["from"] = "x@stranger.test";
  Json body = Json::array({email_json(), stranger});
  auto strict = server_->call("POST", "/emails/batch", body.dump());
  EXPECT_EQ(strict.status, 403);
  EXPECT_EQ(strict.body["name"], "validation_error");
  EXPECT_EQ(team_email_count(), 0);
  auto permissive = server_->call("POST", "/emails/batch", body.dump(), "", {{"x-batch-validation", "permissive"}});
  ASSERT_EQ(permissive.status, 200);
  EXPECT_EQ(permissive.body["data"].size(), 1u);
  EXPECT_EQ(permissive.body["errors"][0]["index"], 1);
}

}  // namespace
}  // namespace tern::api
