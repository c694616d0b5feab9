// api_keys_routes_test.cpp - /api-keys: the pure body rules, then the
// routes over HTTP on a real Redis (token once, list shape, rename,
// delete, restricted keys, domain-limited keys).
#include "api/api_keys_routes.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/redis/domain_store.hpp"
#include "store/util/ids.hpp"
#include "tests/api/api_test_server.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;
using test_support::email_json;

TEST(NewApiKey, Defaults) {
  auto key = parse_new_api_key(R"({"name":"Production"})");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->name, "Production");
  EXPECT_EQ(key->permission, store::Permission::full_access);
  EXPECT_EQ(key->domain_id, "");
}

TEST(NewApiKey, Rules) {
  auto error = [](const char* body) { return parse_new_api_key(body).error(); };
  EXPECT_EQ(error("{}").name, "missing_required_field");
  EXPECT_EQ(error(R"({"name":""})").name, "missing_required_field");
  EXPECT_EQ(error(R"({"name":7})").name, "validation_error");
  EXPECT_EQ(error((R"({"name":")" + std::string(51, 'n') + R"("})").c_str()).name, "validation_error");
  EXPECT_TRUE(parse_new_api_key(R"({"name":")" + std::string(50, 'n') + R"("})"));
  std::string fifty_accents;
  for (int i = 0; i < 50; ++i) fifty_accents += "\xC3\xA9";  // 50 characters, 100 bytes
  EXPECT_TRUE(parse_new_api_key(Json{{"name", fifty_accents}}.dump()));
  EXPECT_FALSE(parse_new_api_key(Json{{"name", fifty_accents + "e"}}.dump()));
  const ApiError access = error(R"({"name":"k","permission":"admin"})");
  EXPECT_EQ(access.status, 422);
  EXPECT_EQ(access.name, "invalid_access");
  EXPECT_EQ(access.message, "Access must be \"full_access\" | \"sending_access\".");
  EXPECT_EQ(error(R"({"name":"k","permission":"full_access","domain_id":"4dd369bc-aa82-4ff3-97de-514ae3000ee0"})").name,
            "validation_error");
  EXPECT_EQ(error(R"({"name":"k","permission":"sending_access","domain_id":"nope"})").name, "invalid_parameter");
  auto limited = parse_new_api_key(
      R"({"name":"k","permission":"sending_access","domain_id":"4DD369BC-AA82-4FF3-97DE-514AE3000EE0"})");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->domain_id, "4dd369bc-aa82-4ff3-97de-514ae3000ee0");
}

TEST(NewApiKey, ListItemShape) {
  store::ApiKey key;
  key.id = "dacf4072-4119-4d88-932f-6202748ac7c8";
  key.name = "Production";
  key.created_at = from_unix_ms(1775254422674);
  const auto item = api_key_list_item(key);
  EXPECT_EQ(item.dump(), R"({"id":"dacf4072-4119-4d88-932f-6202748ac7c8","name":"Production",)"
                         R"("created_at":")" + format_resend_timestamp(key.created_at) + R"(","last_used_at":null})");
}

class ApiKeysRouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<tern::testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override { server_ = std::make_unique<test_support::ApiTestServer>(*redis_, ApiOptions{}, senders_); }

  static std::unique_ptr<tern::testing::RedisServer> redis_;
  AllowAllSenders senders_;
  std::unique_ptr<test_support::ApiTestServer> server_;
};

std::unique_ptr<tern::testing::RedisServer> ApiKeysRouteTest::redis_;

TEST_F(ApiKeysRouteTest, CreateListRenameDelete) {
  auto created = server_->call("POST", "/api-keys", R"({"name":"Production"})");
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["id"];
  const std::string token = created.body["token"];
  EXPECT_TRUE(is_uuid(id));
  EXPECT_EQ(token.rfind("re_", 0), 0u);
  EXPECT_FALSE(created.body.contains("statusCode"));
  // The new token works; the store never returns it again.
  EXPECT_EQ(server_->call("GET", "/emails", "", token).status, 200);
  auto list = server_->call("GET", "/api-keys");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["object"], "list");
  EXPECT_EQ(list.body["has_more"], false);
  ASSERT_EQ(list.body["data"].size(), 3u);  // team-a's two from the fixture + this one
  EXPECT_EQ(list.body["data"][0]["id"], id);  // newest first
  EXPECT_EQ(list.body["data"][0]["name"], "Production");
  EXPECT_TRUE(list.body["data"][0]["last_used_at"].is_string());  // used just above
  EXPECT_EQ(list.raw.find("re_"), std::string::npos);
  auto page = server_->call("GET", "/api-keys?limit=1");
  EXPECT_EQ(page.body["data"].size(), 1u);
  EXPECT_EQ(page.body["has_more"], true);
  EXPECT_EQ(server_->call("GET", "/api-keys?limit=0").body["name"], "validation_error");

  auto renamed = server_->call("PATCH", "/api-keys/" + id, R"({"name":"Staging"})");
  ASSERT_EQ(renamed.status, 200) << renamed.raw;
  EXPECT_EQ(renamed.body, (Json{{"object", "api_key"}, {"id", id}}));
  EXPECT_EQ(server_->call("GET", "/api-keys").body["data"][0]["name"], "Staging");

  auto deleted = server_->call("DELETE", "/api-keys/" + id);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, (Json{{"object", "api_key"}, {"id", id}, {"deleted", true}}));
  EXPECT_EQ(server_->call("GET", "/emails", "", token).status, 403);  // invalid_api_key now
  EXPECT_EQ(server_->call("DELETE", "/api-keys/" + id).status, 404);
  EXPECT_EQ(server_->call("DELETE", "/api-keys/nope").body["name"], "invalid_parameter");
}

TEST_F(ApiKeysRouteTest, OtherTeamsKeysAreInvisible) {
  auto created = server_->call("POST", "/api-keys", R"({"name":"mine"})");
  const std::string id = created.body["id"];
  EXPECT_EQ(server_->call("DELETE", "/api-keys/" + id, "", server_->other_token).status, 404);
  EXPECT_EQ(server_->call("PATCH", "/api-keys/" + id, R"({"name":"x"})", server_->other_token).status, 404);
  EXPECT_EQ(server_->call("GET", "/api-keys", "", server_->other_token).body["data"].size(), 1u);
}

TEST_F(ApiKeysRouteTest, SendingKeyIsRestrictedToSending) {
  const std::string& sending = server_->sending_token;
  EXPECT_EQ(server_->call("POST", "/emails", email_json().dump(), sending).status, 200);
  EXPECT_EQ(server_->call("POST", "/emails/batch", Json::array({email_json()}).dump(), sending).status, 200);
  const std::string some_id = "4dd369bc-aa82-4ff3-97de-514ae3000ee0";
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/emails"},           {"GET", "/emails/" + some_id},       {"PATCH", "/emails/" + some_id},
           {"POST", "/emails/" + some_id + "/cancel"}, {"GET", "/api-keys"}, {"POST", "/api-keys"},
           {"DELETE", "/api-keys/" + some_id},         {"PATCH", "/api-keys/" + some_id}, {"GET", "/domains"}}) {
    auto answer = server_->call(method, path, "{}", sending);
    EXPECT_EQ(answer.status, 401) << method << " " << path;
    EXPECT_EQ(answer.body["name"], "restricted_api_key") << method << " " << path;
  }
}

TEST_F(ApiKeysRouteTest, DomainLimitedSendingKey) {
  store::Domain domain;
  domain.id = new_uuid();
  domain.team = "team-a";
  domain.name = "acme.test";
  domain.created_at = std::chrono::system_clock::now();
  ASSERT_TRUE(store::DomainStore(server_->pool()).create(domain));

  auto unknown = server_->call("POST", "/api-keys",
                               Json{{"name", "k"}, {"permission", "sending_access"}, {"domain_id", new_uuid()}}.dump());
  EXPECT_EQ(unknown.status, 404);
  auto not_ours = server_->call(
      "POST", "/api-keys", Json{{"name", "k"}, {"permission", "sending_access"}, {"domain_id", domain.id}}.dump(),
      server_->other_token);
  EXPECT_EQ(not_ours.status, 404);

  auto created = server_->call(
      "POST", "/api-keys", Json{{"name", "k"}, {"permission", "sending_access"}, {"domain_id", domain.id}}.dump());
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string token = created.body["token"];
  EXPECT_EQ(server_->call("POST", "/emails", email_json().dump(), token).status, 200);  // from acme.test
  Json elsewhere = email_json();
  elsewhere["from"] = "someone@other.test";
  auto refused = server_->call("POST", "/emails", elsewhere.dump(), token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body["name"], "validation_error");
  auto batch = server_->call("POST", "/emails/batch", Json::array({email_json(), elsewhere}).dump(), token,
                             {{"x-batch-validation", "permissive"}});
  ASSERT_EQ(batch.status, 200);
  EXPECT_EQ(batch.body["data"].size(), 1u);
  EXPECT_EQ(batch.body["errors"][0]["index"], 1);
}

}  // namespace
}  // namespace tern::api
