// webhooks_routes_test.cpp - the /webhooks resource through the real route
// table and authentication, against a real redis-server: Resend's shapes,
// validation, tenant isolation and access rules.
#include "api/webhooks_routes.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/routes.hpp"
#include "store/redis/api_key_store.hpp"
#include "store/redis/webhook_store.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;

class WebhooksRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
    store::ApiKeyStore keys(*pool_);
    token_ = keys.create("full", "team-a", store::Permission::full_access).value().token;
    other_token_ = keys.create("other", "team-b", store::Permission::full_access).value().token;
    sending_token_ = keys.create("send", "team-a", store::Permission::sending_access).value().token;
  }

  struct Reply {
    int status;
    Json body;
  };

  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = "", std::map<std::string, std::string> query = {}) {
    ApiServices services{*pool_, clock_, senders_, options_};
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.query = std::move(query);
    request.authorization = "Bearer " + (token.empty() ? token_ : token);
    ApiResponse response = dispatch(routes_, request, services);
    return Reply{response.status, Json::parse(response.body)};
  }

  std::string create(const std::string& endpoint = "https://example.com/hook",
                     const Json& events = Json{"email.sent", "email.bounced"}) {
    auto r = call("POST", "/webhooks", Json{{"endpoint", endpoint}, {"events", events}}.dump());
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", "");
  }

  static void expect_error(const Reply& r, int status, const std::string& name) {
    EXPECT_EQ(r.status, status) << r.body.dump();
    EXPECT_EQ(r.body["statusCode"], status);
    EXPECT_EQ(r.body["name"], name) << r.body.dump();
    EXPECT_TRUE(r.body["message"].is_string());
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  SystemClock clock_;
  AllowAllSenders senders_;
  ApiOptions options_;
  std::vector<Route> routes_ = make_routes();
  std::string token_, other_token_, sending_token_;
};

std::unique_ptr<testing::RedisServer> WebhooksRoutesTest::redis_;

TEST_F(WebhooksRoutesTest, CreateAnswersIdAndSecretOnly) {
  auto r = call("POST", "/webhooks",
                R"({"endpoint":"https://example.com/handler","events":["email.sent","email.delivered"]})");
  ASSERT_EQ(r.status, 201) << r.body.dump();
  ASSERT_EQ(r.body.size(), 3u);
  EXPECT_EQ(r.body["object"], "webhook");
  EXPECT_EQ(r.body["id"].get<std::string>().size(), 36u);
  EXPECT_EQ(r.body["signing_secret"].get<std::string>().rfind("whsec_", 0), 0u);
}

TEST_F(WebhooksRoutesTest, GetShowsTheWebhookWithItsSecret) {
  auto created = call("POST", "/webhooks", R"({"endpoint":"https://example.com/h","events":["email.bounced"]})");
  std::string id = created.body["id"];
  auto r = call("GET", "/webhooks/" + id);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  std::vector<std::string> keys;
  for (auto it = r.body.begin(); it != r.body.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"created_at", "endpoint", "events", "id", "object", "signing_secret",
                                            "status"}));
  EXPECT_EQ(r.body["object"], "webhook");
  EXPECT_EQ(r.body["id"], id);
  EXPECT_EQ(r.body["endpoint"], "https://example.com/h");
  EXPECT_EQ(r.body["events"], (Json{"email.bounced"}));
  EXPECT_EQ(r.body["status"], "enabled");
  EXPECT_EQ(r.body["signing_secret"], created.body["signing_secret"]);
  EXPECT_TRUE(r.body["created_at"].is_string());
  // Ids are case-insensitive UUIDs.
  std::string upper = id;
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(call("GET", "/webhooks/" + upper).status, 200);
}

TEST_F(WebhooksRoutesTest, ListHasNoSecretsAndIsNewestFirst) {
  std::string first = create();
  std::string second = create("https://example.org/other", Json{"domain.created"});
  auto r = call("GET", "/webhooks");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["object"], "list");
  EXPECT_EQ(r.body["has_more"], false);
  ASSERT_EQ(r.body["data"].size(), 2u);
  for (const auto& item : r.body["data"]) {
    EXPECT_FALSE(item.contains("signing_secret"));
    EXPECT_TRUE(item.contains("created_at"));
    EXPECT_EQ(item["status"], "enabled");
  }
  std::set<std::string> ids = {r.body["data"][0]["id"], r.body["data"][1]["id"]};
  EXPECT_EQ(ids, (std::set<std::string>{first, second}));
  auto page = call("GET", "/webhooks", "", "", {{"limit", "1"}});
  ASSERT_EQ(page.status, 200) << page.body.dump();
  ASSERT_EQ(page.body["data"].size(), 1u);
  EXPECT_EQ(page.body["has_more"], true);
  EXPECT_EQ(page.body["data"][0]["id"], r.body["data"][0]["id"]);
  expect_error(call("GET", "/webhooks", "", "", {{"limit", "0"}}), 422, "validation_error");
}

TEST_F(WebhooksRoutesTest, PatchChangesOnlyWhatIsGiven) {
  std::string id = create();
  auto r = call("PATCH", "/webhooks/" + id, R"({"status":"disabled"})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body, (Json{{"object", "webhook"}, {"id", id}}));
  auto got = call("GET", "/webhooks/" + id);
  EXPECT_EQ(got.body["status"], "disabled");
  EXPECT_EQ(got.body["endpoint"], "https://example.com/hook");
  ASSERT_EQ(call("PATCH", "/webhooks/" + id,
                 R"({"endpoint":"https://hooks.example.net/x","events":["email.delivered"],"status":"enabled"})")
                .status,
            200);
  got = call("GET", "/webhooks/" + id);
  EXPECT_EQ(got.body["status"], "enabled");
  EXPECT_EQ(got.body["endpoint"], "https://hooks.example.net/x");
  EXPECT_EQ(got.body["events"], (Json{"email.delivered"}));
  EXPECT_EQ(call("PATCH", "/webhooks/" + id, R"({"events":null})").status, 200);  // null = unchanged
  EXPECT_EQ(call("GET", "/webhooks/" + id).body["events"], (Json{"email.delivered"}));
  expect_error(call("PATCH", "/webhooks/" + id, R"({"status":"paused"})"), 422, "validation_error");
  expect_error(call("PATCH", "/webhooks/" + id, R"({"events":[]})"), 422, "validation_error");
  expect_error(call("PATCH", "/webhooks/" + id, R"({"endpoint":"http://example.com/"})"), 422, "validation_error");
}

TEST_F(WebhooksRoutesTest, DeleteRemovesIt) {
  std::string id = create();
  auto r = call("DELETE", "/webhooks/" + id);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body, (Json{{"object", "webhook"}, {"id", id}, {"deleted", true}}));
  expect_error(call("GET", "/webhooks/" + id), 404, "not_found");
  expect_error(call("DELETE", "/webhooks/" + id), 404, "not_found");
}

TEST_F(WebhooksRoutesTest, AnotherTeamGets404Everywhere) {
  std::string id = create();
  expect_error(call("GET", "/webhooks/" + id, "", other_token_), 404, "not_found");
  expect_error(call("PATCH", "/webhooks/" + id, R"({"status":"disabled"})", other_token_), 404, "not_found");
  expect_error(call("DELETE", "/webhooks/" + id, "", other_token_), 404, "not_found");
  EXPECT_TRUE(call("GET", "/webhooks", "", other_token_).body["data"].empty());
  auto mine = call("GET", "/webhooks/" + id);
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["status"], "enabled");
}

TEST_F(WebhooksRoutesTest, BadIdsAndRestrictedKeys) {
  expect_error(call("GET", "/webhooks/not-a-uuid"), 422, "invalid_parameter");
  expect_error(call("PATCH", "/webhooks/123", "{}"), 422, "invalid_parameter");
  expect_error(call("DELETE", "/webhooks/x"), 422, "invalid_parameter");
  expect_error(call("GET", "/webhooks/" + std::string("3f9a3c1e-0000-4000-8000-000000000000")), 404, "not_found");
  expect_error(call("GET", "/webhooks", "", sending_token_), 401, "restricted_api_key");
  expect_error(call("POST", "/webhooks", R"({"endpoint":"https://example.com/","events":["email.sent"]})",
                    sending_token_),
               401, "restricted_api_key");
}

TEST_F(WebhooksRoutesTest, CreateValidatesEndpointAndEvents) {
  expect_error(call("POST", "/webhooks", R"({"events":["email.sent"]})"), 422, "missing_required_field");
  expect_error(call("POST", "/webhooks", R"({"endpoint":"https://example.com/"})"), 422, "missing_required_field");
  expect_error(call("POST", "/webhooks", R"({"endpoint":"https://example.com/","events":null})"), 422,
               "missing_required_field");
  const char* bad_bodies[] = {
      R"({"endpoint":"https://example.com/","events":[]})",
      R"({"endpoint":"https://example.com/","events":"email.sent"})",
      R"({"endpoint":"https://example.com/","events":["email.sent","email.exploded"]})",
      R"({"endpoint":"https://example.com/","events":[42]})",
      R"({"endpoint":42,"events":["email.sent"]})",
      R"({"endpoint":"not a url","events":["email.sent"]})",
      R"({"endpoint":"ftp://example.com/","events":["email.sent"]})",
      R"({"endpoint":"https://user:pw@example.com/","events":["email.sent"]})",
      R"({"endpoint":"http://example.com/","events":["email.sent"]})",
      R"({"endpoint":"https://127.0.0.1/","events":["email.sent"]})",
      R"({"endpoint":"https://[::ffff:10.0.0.1]/","events":["email.sent"]})",
      R"({"endpoint":"https://169.254.169.254/latest","events":["email.sent"]})",
  };
  for (const char* body : bad_bodies) {
    SCOPED_TRACE(body);
    expect_error(call("POST", "/webhooks", body), 422, "validation_error");
  }
  EXPECT_TRUE(call("GET", "/webhooks").body["data"].empty());
}

TEST_F(WebhooksRoutesTest, AllowPrivateAdmitsHttpAndLoopback) {
  options_.webhook_allow_private = true;
  EXPECT_EQ(call("POST", "/webhooks", R"({"endpoint":"http://127.0.0.1:9000/hook","events":["email.sent"]})").status,
            201);
  // Userinfo stays refused even then.
  expect_error(call("POST", "/webhooks", R"({"endpoint":"http://u@127.0.0.1/","events":["email.sent"]})"), 422,
               "validation_error");
}

TEST_F(WebhooksRoutesTest, DevModeAdmitsHttpButNotPrivateAddresses) {
  options_.dev = true;
  EXPECT_EQ(call("POST", "/webhooks", R"({"endpoint":"http://example.com/hook","events":["email.sent"]})").status,
            201);
  expect_error(call("POST", "/webhooks", R"({"endpoint":"http://10.0.0.1/hook","events":["email.sent"]})"), 422,
               "validation_error");
}

TEST(WebhooksRoutesParse, DuplicateEventsCollapseInOrder) {
  auto parsed = parse_new_webhook(
      R"({"endpoint":"https://example.com/","events":["email.sent","email.bounced","email.sent"]})",
      EndpointPolicy{});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->events, (std::vector<std::string>{"email.sent", "email.bounced"}));
}

}  // namespace
}  // namespace tern::api
