// http_server_test.cpp - the API end to end over HTTP, against a real
// redis-server on a free loopback port (tests/peers/redis_runner.hpp).
#include "api/http_server.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "store/redis/api_key_store.hpp"
#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;

// SwitchPolicy - allows every domain unless told otherwise; may throw.
class SwitchPolicy final : public SenderPolicy {
 public:
  enum class Mode { allow, deny, fail, throw_ };
  std::atomic<Mode> mode{Mode::allow};  // set by the test, read on server threads
  Result<void> may_send_from(std::string_view, std::string_view) override {
    switch (mode.load()) {
      case Mode::allow: return {};
      case Mode::deny: return fail(Errc::not_found, "domain not verified");
      case Mode::fail: return fail(Errc::unavailable, "redis down");
      case Mode::throw_: throw std::runtime_error("policy exploded");
    }
    return {};
  }
};

// RunningServer - an HttpServer on 127.0.0.1:0, run() on its own thread.
class RunningServer {
 public:
  RunningServer(store::RedisPool& pool, SenderPolicy& senders, ApiOptions options = {})
      : server_(pool, clock_, senders, std::move(options)) {
    auto port = server_.bind("127.0.0.1", 0);
    if (!port) throw std::runtime_error(port.error().message);
    port_ = *port;
    thread_ = std::thread([this] { server_.run(); });
    if (!testing::wait_until([this] { return server_.is_running(); }))
      throw std::runtime_error("http server did not start");
  }
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  SystemClock clock_;
  HttpServer server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ApiOptions options;
    options.hostname = "mail.tern.test";
    options.threads = 4;
    server_ = std::make_unique<RunningServer>(*pool_, policy_, options);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    store::ApiKeyStore keys(*pool_);
    full_token_ = keys.create("full", "team-a", store::Permission::full_access).value().token;
    other_token_ = keys.create("other", "team-b", store::Permission::full_access).value().token;
    sending_token_ = keys.create("send", "team-a", store::Permission::sending_access).value().token;
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
  }

  static httplib::Headers auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  // check - the response exists, has a JSON content type and a JSON body.
  static Json check(const httplib::Result& res, int status) {
    EXPECT_TRUE(res) << "no response: " << httplib::to_string(res.error());
    if (!res) return Json();
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type").rfind("application/json", 0), 0u)
        << "Content-Type: " << res->get_header_value("Content-Type");
    EXPECT_TRUE(Json::accept(res->body)) << res->body;
    return Json::accept(res->body) ? Json::parse(res->body) : Json();
  }

  static void expect_error(const Json& body, int status, std::string_view name) {
    EXPECT_EQ(body.value("statusCode", 0), status) << body.dump();
    EXPECT_EQ(body.value("name", ""), name) << body.dump();
    EXPECT_TRUE(body.contains("message")) << body.dump();
  }

  long long redis_int(const std::vector<std::string>& command) {
    auto reply = store::run(*pool_, command);
    EXPECT_TRUE(reply);
    return reply ? reply->integer : -1;
  }
  long long ready_length() { return redis_int({"XLEN", std::string(store::keys::kReadyStream)}); }
  long long delayed_count() { return redis_int({"ZCARD", std::string(store::keys::kDelayedSet)}); }

  static std::string valid_body() {
    return Json{{"from", "Acme <onboarding@example.com>"},
                {"to", Json::array({"delivered@example.org"})},
                {"cc", "c@example.org"},
                {"subject", "hello world"},
                {"html", "<p>it works!</p>"},
                {"headers", {{"X-Entity-Ref-ID", "123"}}},
                {"tags", Json::array({{{"name", "category"}, {"value", "confirm_email"}}})}}
        .dump();
  }

  std::string send_ok(const std::string& body = valid_body()) {
    Json reply = check(client_->Post("/emails", auth(full_token_), body, "application/json"), 200);
    EXPECT_EQ(reply.size(), 1u) << reply.dump();
    return reply.value("id", "");
  }

  static inline std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  SwitchPolicy policy_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::string full_token_, other_token_, sending_token_;
};

TEST_F(HttpServerTest, PostWithoutAuthorizationIsMissingApiKey) {
  const long long before = ready_length();
  expect_error(check(client_->Post("/emails", valid_body(), "application/json"), 401), 401, "missing_api_key");
  expect_error(check(client_->Post("/emails", {{"Authorization", "Bearer "}}, valid_body(), "application/json"), 401),
               401, "missing_api_key");
  EXPECT_EQ(ready_length(), before);
}

TEST_F(HttpServerTest, PostWithUnknownKeyIsInvalidApiKey) {
  expect_error(check(client_->Post("/emails", auth("re_not_a_real_key"), valid_body(), "application/json"), 403),
               403, "invalid_api_key");
}

TEST_F(HttpServerTest, ValidSendIsStoredAndQueuedBeforeTheReply) {
  const long long before = ready_length();
  const std::string id = send_ok();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(ready_length(), before + 1);

  store::EmailStore emails(*pool_);
  auto stored = emails.get("team-a", id);
  ASSERT_TRUE(stored);
  ASSERT_TRUE(*stored);
  const auto& content = (*stored)->content;
  EXPECT_EQ(content.from, "Acme <onboarding@example.com>");
  EXPECT_EQ(content.to, std::vector<std::string>{"delivered@example.org"});
  EXPECT_EQ(content.cc, std::vector<std::string>{"c@example.org"});
  EXPECT_EQ(content.team, "team-a");
  EXPECT_NE(content.message_id.find("@mail.tern.test>"), std::string::npos) << content.message_id;
  EXPECT_EQ((*stored)->state.last_event, "sent");
  EXPECT_EQ((*stored)->state.recipients.size(), 2u);

  auto events = emails.events(id);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "email.sent");
}

TEST_F(HttpServerTest, InvalidSendIs422AndQueuesNothing) {
  const long long before = ready_length();
  const long long indexed = redis_int({"ZCARD", store::keys::team_emails("team-a")});
  Json missing_to = Json::parse(valid_body());
  missing_to.erase("to");
  expect_error(check(client_->Post("/emails", auth(full_token_), missing_to.dump(), "application/json"), 422), 422,
               "missing_required_field");
  expect_error(check(client_->Post("/emails", auth(full_token_), "{not json", "application/json"), 422), 422,
               "validation_error");
  Json injected = Json::parse(valid_body());
  injected["subject"] = "hi\r\nBcc: victim@example.net";
  expect_error(check(client_->Post("/emails", auth(full_token_), injected.dump(), "application/json"), 422), 422,
               "validation_error");
  Json bad_from = Json::parse(valid_body());
  bad_from["from"] = "nobody";
  expect_error(check(client_->Post("/emails", auth(full_token_), bad_from.dump(), "application/json"), 422), 422,
               "invalid_from_address");
  EXPECT_EQ(ready_length(), before);
  EXPECT_EQ(redis_int({"ZCARD", store::keys::team_emails("team-a")}), indexed);
}

TEST_F(HttpServerTest, EmptyPostBodyIsAnEmptyObject) {
  expect_error(check(client_->Post("/emails", auth(full_token_), "", "application/json"), 422), 422,
               "missing_required_field");
}

TEST_F(HttpServerTest, GetReturnsTheResendEmailObject) {
  const std::string id = send_ok();
  Json email = check(client_->Get("/emails/" + id, auth(full_token_)), 200);
  EXPECT_EQ(email["object"], "email");
  EXPECT_EQ(email["id"], id);
  EXPECT_EQ(email["from"], "Acme <onboarding@example.com>");
  EXPECT_EQ(email["to"], Json::array({"delivered@example.org"}));
  EXPECT_EQ(email["cc"], Json::array({"c@example.org"}));
  EXPECT_EQ(email["bcc"], Json::array());
  EXPECT_EQ(email["reply_to"], Json::array());
  EXPECT_EQ(email["subject"], "hello world");
  EXPECT_EQ(email["html"], "<p>it works!</p>");
  EXPECT_TRUE(email["text"].is_null());
  EXPECT_EQ(email["last_event"], "sent");
  EXPECT_TRUE(email["scheduled_at"].is_null());
  EXPECT_TRUE(email["topic_id"].is_null());
  EXPECT_EQ(email["tags"], Json::parse(R"([{"name":"category","value":"confirm_email"}])"));
  EXPECT_EQ(email["message_id"].get<std::string>().front(), '<');
  EXPECT_EQ(email["created_at"].get<std::string>().size(), std::string("2026-04-03 22:13:42.674981+00").size());
}

TEST_F(HttpServerTest, GetOfAnotherTeamsEmailIsNotFound) {
  const std::string id = send_ok();
  Json body = check(client_->Get("/emails/" + id, auth(other_token_)), 404);
  expect_error(body, 404, "not_found");
  EXPECT_EQ(body["message"], "Email not found.");
  expect_error(check(client_->Get("/emails/00000000-0000-4000-8000-000000000000", auth(full_token_)), 404), 404,
               "not_found");
}

TEST_F(HttpServerTest, GetWithNonUuidIsInvalidParameter) {
  Json body = check(client_->Get("/emails/not-a-uuid", auth(full_token_)), 422);
  expect_error(body, 422, "invalid_parameter");
  EXPECT_EQ(body["message"], "The `id` must be a valid UUID.");
}

TEST_F(HttpServerTest, SendingAccessKeyMaySendButNotRead) {
  Json sent = check(client_->Post("/emails", auth(sending_token_), valid_body(), "application/json"), 200);
  ASSERT_TRUE(sent.contains("id"));
  expect_error(check(client_->Get("/emails/" + sent["id"].get<std::string>(), auth(sending_token_)), 401), 401,
               "restricted_api_key");
}

TEST_F(HttpServerTest, UnknownPathIs404Json) {
  Json body = check(client_->Get("/nope", auth(full_token_)), 404);
  expect_error(body, 404, "not_found");
  EXPECT_EQ(body["message"], "The requested endpoint does not exist.");
  expect_error(check(client_->Get("/"), 404), 404, "not_found");
  expect_error(check(client_->Post("/domains/x/claim", auth(full_token_), "", "application/json"), 404), 404,
               "not_found");
}

TEST_F(HttpServerTest, WrongMethodIs405Json) {
  expect_error(check(client_->Delete("/emails", auth(full_token_)), 405), 405, "method_not_allowed");
  expect_error(check(client_->Put("/emails/x", auth(full_token_), "{}", "application/json"), 405), 405,
               "method_not_allowed");
  expect_error(check(client_->Delete("/emails/batch", auth(full_token_)), 405), 405, "method_not_allowed");
}

TEST_F(HttpServerTest, DoubleSlashPathsWork) {
  Json reply = check(client_->Post("//emails", auth(full_token_), valid_body(), "application/json"), 200);
  ASSERT_TRUE(reply.contains("id"));
  check(client_->Get("//emails/" + reply["id"].get<std::string>(), auth(full_token_)), 200);
}

TEST_F(HttpServerTest, ScheduledSendGoesToTheDelayedSet) {
  const long long ready = ready_length();
  const long long delayed = delayed_count();
  Json body = Json::parse(valid_body());
  body["scheduled_at"] = format_iso8601(std::chrono::system_clock::now() + std::chrono::hours(2));
  const std::string id = send_ok(body.dump());
  EXPECT_EQ(ready_length(), ready);
  EXPECT_EQ(delayed_count(), delayed + 1);
  Json email = check(client_->Get("/emails/" + id, auth(full_token_)), 200);
  EXPECT_EQ(email["last_event"], "scheduled");
  EXPECT_TRUE(email["scheduled_at"].is_string());
}

TEST_F(HttpServerTest, SenderPolicyRefusalIs403NamingTheDomain) {
  const long long before = ready_length();
  policy_.mode = SwitchPolicy::Mode::deny;
  Json body = check(client_->Post("/emails", auth(full_token_), valid_body(), "application/json"), 403);
  expect_error(body, 403, "validation_error");
  EXPECT_NE(body["message"].get<std::string>().find("`example.com` domain is not verified"), std::string::npos);
  policy_.mode = SwitchPolicy::Mode::fail;
  expect_error(check(client_->Post("/emails", auth(full_token_), valid_body(), "application/json"), 500), 500,
               "application_error");
  EXPECT_EQ(ready_length(), before);
}

TEST_F(HttpServerTest, HandlerExceptionIs500Json) {
  policy_.mode = SwitchPolicy::Mode::throw_;
  expect_error(check(client_->Post("/emails", auth(full_token_), valid_body(), "application/json"), 500), 500,
               "application_error");
}

TEST_F(HttpServerTest, HealthzNeedsNoAuth) {
  Json body = check(client_->Get("/healthz"), 200);
  EXPECT_EQ(body, Json::parse(R"({"status":"ok"})"));
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  client_->set_keep_alive(true);
  for (int i = 0; i < 20; ++i) check(client_->Get("/healthz"), 200);
}

TEST(HttpServerLimitsTest, OversizedBodyIs413Json) {
  testing::RedisServer redis;
  store::RedisPool pool(redis.endpoint());
  AllowAllSenders senders;
  ApiOptions options;
  options.threads = 2;
  options.max_body_bytes = 1024;
  RunningServer server(pool, senders, options);
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Post("/emails", std::string(4096, 'x'), "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("application/json", 0), 0u);
  Json body = Json::parse(res->body);
  EXPECT_EQ(body["statusCode"], 413);
  EXPECT_EQ(body["name"], "validation_error");
}

TEST(HttpServerRedisDownTest, HealthIs503AndSendIs500) {
  RedisEndpoint dead;
  dead.port = testing::free_loopback_port();  // nothing listens there
  store::RedisPool pool(dead, std::chrono::milliseconds(500));
  AllowAllSenders senders;
  ApiOptions options;
  options.threads = 2;
  RunningServer server(pool, senders, options);
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_EQ(Json::parse(health->body), Json::parse(R"({"status":"unavailable"})"));
  auto send = client.Post("/emails", {{"Authorization", "Bearer re_whatever"}}, "{}", "application/json");
  ASSERT_TRUE(send);
  EXPECT_EQ(send->status, 500);
  Json body = Json::parse(send->body);
  EXPECT_EQ(body["statusCode"], 500);
  EXPECT_EQ(body["name"], "application_error");
}

TEST(HttpServerLifecycleTest, StopBeforeRunMakesRunReturn) {
  store::RedisPool pool(RedisEndpoint{});
  SystemClock clock;
  AllowAllSenders senders;
  HttpServer server(pool, clock, senders, ApiOptions{});
  ASSERT_TRUE(server.bind("127.0.0.1", 0));
  server.stop();
  std::thread runner([&] { server.run(); });
  runner.join();  // would hang if stop() had been lost
  EXPECT_FALSE(server.is_running());
}

}  // namespace
}  // namespace tern::api
