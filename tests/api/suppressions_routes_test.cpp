// suppressions_routes_test.cpp - /suppressions over real HTTP against a real
// redis-server: shapes, validation, tenant isolation, %40 paths, batches.
#include "api/suppressions_routes.hpp"

#include <memory>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/http_server.hpp"
#include "store/redis/api_key_store.hpp"
#include "store/redis/suppression_store.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;

class SuppressionsRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
    ApiOptions options;
    options.hostname = "mail.tern.test";
    options.threads = 4;
    server_ = std::make_unique<HttpServer>(*pool_, clock_, senders_, options);
    auto port = server_->bind("127.0.0.1", 0);
    ASSERT_TRUE(port);
    thread_ = std::thread([this] { server_->run(); });
    ASSERT_TRUE(testing::wait_until([this] { return server_->is_running(); }));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    store::ApiKeyStore keys(*pool_);
    token_ = keys.create("full", "team-a", store::Permission::full_access).value().token;
    other_token_ = keys.create("other", "team-b", store::Permission::full_access).value().token;
    sending_token_ = keys.create("send", "team-a", store::Permission::sending_access).value().token;
  }

  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  struct Answer {
    int status = 0;
    Json body;
  };

  Answer call(const std::string& method, const std::string& path, const std::string& body = "",
              const std::string& token = "") {
    httplib::Headers headers{{"Authorization", "Bearer " + (token.empty() ? token_ : token)}};
    httplib::Result r = method == "GET"      ? client_->Get(path.c_str(), headers)
                        : method == "DELETE" ? client_->Delete(path.c_str(), headers)
                                             : client_->Post(path.c_str(), headers, body, "application/json");
    if (!r) throw std::runtime_error("no HTTP answer");
    return Answer{r->status, Json::parse(r->body)};
  }

  std::string add(const std::string& email) {
    auto a = call("POST", "/suppressions", Json{{"email", email}}.dump());
    EXPECT_EQ(a.status, 201) << a.body.dump();
    return a.body.value("id", "");
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  SystemClock clock_;
  AllowAllSenders senders_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_, other_token_, sending_token_;
};

std::unique_ptr<testing::RedisServer> SuppressionsRoutesTest::redis_;

TEST_F(SuppressionsRoutesTest, CreateGetByIdAndByEncodedEmail) {
  auto created = call("POST", "/suppressions", R"({"email":"Steve@Example.COM"})");
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.body["object"], "suppression");
  const std::string id = created.body["id"];
  EXPECT_FALSE(created.body.contains("statusCode"));

  auto by_id = call("GET", "/suppressions/" + id);
  ASSERT_EQ(by_id.status, 200);
  EXPECT_EQ(by_id.body["object"], "suppression");
  EXPECT_EQ(by_id.body["email"], "Steve@example.com");
  EXPECT_EQ(by_id.body["origin"], "manual");
  EXPECT_TRUE(by_id.body["source_id"].is_null());
  EXPECT_TRUE(by_id.body["created_at"].is_string());

  auto by_email = call("GET", "/suppressions/steve%40example.com");
  ASSERT_EQ(by_email.status, 200) << by_email.body.dump();
  EXPECT_EQ(by_email.body["id"], id);

  auto again = call("POST", "/suppressions", R"({"email":"steve@example.com"})");
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.body["id"], id);  // idempotent
}

TEST_F(SuppressionsRoutesTest, ValidationErrorsUseResendNames) {
  auto missing = call("POST", "/suppressions", "{}");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.body["name"], "missing_required_field");
  auto wrong_type = call("POST", "/suppressions", R"({"email":42})");
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(wrong_type.body["name"], "validation_error");
  auto bad = call("POST", "/suppressions", R"({"email":"not an address"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["name"], "validation_error");
  EXPECT_EQ(bad.body["statusCode"], 422);
  auto bad_origin = call("GET", "/suppressions?origin=spam");
  EXPECT_EQ(bad_origin.status, 422);
  auto bad_limit = call("GET", "/suppressions?limit=500");
  EXPECT_EQ(bad_limit.status, 422);
  auto bad_key = call("GET", "/suppressions/neither");
  EXPECT_EQ(bad_key.status, 422);
  EXPECT_EQ(bad_key.body["name"], "invalid_parameter");
  auto unknown = call("GET", "/suppressions/nobody%40example.com");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["name"], "not_found");
}

TEST_F(SuppressionsRoutesTest, TenantIsolationAndRestrictedKeys) {
  const std::string id = add("a@x.org");
  EXPECT_EQ(call("GET", "/suppressions/" + id, "", other_token_).status, 404);
  EXPECT_EQ(call("DELETE", "/suppressions/" + id, "", other_token_).status, 404);
  auto listed = call("GET", "/suppressions", "", other_token_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_TRUE(listed.body["data"].empty());
  auto restricted = call("GET", "/suppressions", "", sending_token_);
  EXPECT_EQ(restricted.status, 401);
  EXPECT_EQ(restricted.body["name"], "restricted_api_key");
  EXPECT_EQ(call("POST", "/suppressions", R"({"email":"b@x.org"})", sending_token_).status, 401);
}

TEST_F(SuppressionsRoutesTest, ListPaginatesAndFiltersByOrigin) {
  store::SuppressionStore store(*pool_);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto added = store.add("team-a", "u" + std::to_string(i) + "@x.org",
                           i == 1 ? store::SuppressionOrigin::bounce : store::SuppressionOrigin::manual,
                           i == 1 ? std::optional<std::string>("email-1") : std::nullopt,
                           from_unix_ms(1'760'000'000'000 + i * 1000));
    ASSERT_TRUE(added);
    ids.push_back(added->entry.id);
  }
  auto first = call("GET", "/suppressions?limit=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body["object"], "list");
  EXPECT_EQ(first.body["has_more"], true);
  ASSERT_EQ(first.body["data"].size(), 2u);
  EXPECT_EQ(first.body["data"][0]["id"], ids[2]);
  auto rest = call("GET", "/suppressions?limit=2&after=" + ids[1]);
  ASSERT_EQ(rest.status, 200);
  ASSERT_EQ(rest.body["data"].size(), 1u);
  EXPECT_EQ(rest.body["data"][0]["id"], ids[0]);
  EXPECT_EQ(rest.body["has_more"], false);
  auto bounces = call("GET", "/suppressions?origin=bounce");
  ASSERT_EQ(bounces.status, 200);
  ASSERT_EQ(bounces.body["data"].size(), 1u);
  EXPECT_EQ(bounces.body["data"][0]["email"], "u1@x.org");
  EXPECT_EQ(bounces.body["data"][0]["source_id"], "email-1");
  EXPECT_EQ(bounces.body["data"][0]["origin"], "bounce");
}

TEST_F(SuppressionsRoutesTest, DeleteByIdOrEmail) {
  const std::string a = add("a@x.org");
  const std::string b = add("b@x.org");
  auto deleted = call("DELETE", "/suppressions/" + a);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, (Json{{"object", "suppression"}, {"id", a}, {"deleted", true}}));
  EXPECT_EQ(call("GET", "/suppressions/" + a).status, 404);
  EXPECT_EQ(call("DELETE", "/suppressions/" + a).status, 404);
  auto by_email = call("DELETE", "/suppressions/B%40X.org");
  ASSERT_EQ(by_email.status, 200);
  EXPECT_EQ(by_email.body["id"], b);
}

TEST_F(SuppressionsRoutesTest, BatchAddAndRemove) {
  auto added = call("POST", "/suppressions/batch/add", R"({"emails":["a@x.org","b@x.org"]})");
  ASSERT_EQ(added.status, 201);
  ASSERT_EQ(added.body["data"].size(), 2u);
  EXPECT_EQ(added.body["data"][0]["object"], "suppression");
  const std::string a = added.body["data"][0]["id"];

  auto by_ids = call("POST", "/suppressions/batch/remove", Json{{"ids", {a}}}.dump());
  ASSERT_EQ(by_ids.status, 200);
  ASSERT_EQ(by_ids.body["data"].size(), 1u);
  EXPECT_EQ(by_ids.body["data"][0]["id"], a);
  EXPECT_EQ(by_ids.body["data"][0]["deleted"], true);

  auto by_emails = call("POST", "/suppressions/batch/remove", R"({"emails":["B@x.org","zz@x.org"]})");
  ASSERT_EQ(by_emails.status, 200);
  ASSERT_EQ(by_emails.body["data"].size(), 1u);

  auto both = call("POST", "/suppressions/batch/remove", Json{{"ids", {a}}, {"emails", {"a@x.org"}}}.dump());
  EXPECT_EQ(both.status, 422);
  EXPECT_EQ(both.body["name"], "validation_error");
  auto neither = call("POST", "/suppressions/batch/remove", "{}");
  EXPECT_EQ(neither.status, 422);
  auto bad_id = call("POST", "/suppressions/batch/remove", R"({"ids":["nope"]})");
  EXPECT_EQ(bad_id.status, 422);
  Json many = Json::array();
  for (int i = 0; i < 101; ++i) many.push_back("u" + std::to_string(i) + "@x.org");
  EXPECT_EQ(call("POST", "/suppressions/batch/add", Json{{"emails", many}}.dump()).status, 422);
  EXPECT_EQ(call("POST", "/suppressions/batch/add", R"({"emails":[]})").status, 422);
  EXPECT_EQ(call("POST", "/suppressions/batch/add", R"({"emails":["ok@x.org","bad"]})").status, 422);
}

TEST(ParseSuppressionEmails, NormalizesAndValidates) {
  auto ok = parse_suppression_emails(nlohmann::ordered_json::parse(R"({"emails":[" A@B.ORG "]})"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->front(), "A@b.org");
  auto missing = parse_suppression_emails(nlohmann::ordered_json::parse("{}"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().name, "missing_required_field");
  EXPECT_FALSE(parse_suppression_emails(nlohmann::ordered_json::parse(R"({"emails":"a@b.org"})")));
}

}  // namespace
}  // namespace tern::api
