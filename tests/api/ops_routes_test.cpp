// ops_routes_test.cpp - the operator-facing routes over HTTP: GET /metrics
// (text format, counting requests and accepted emails, off when moved to
// TERN_METRICS_ADDR), the console's embedded files with their security
// headers, and GET /emails/{id}/events scoped to the caller's team.
#include <memory>

#include <gtest/gtest.h>

#include "tests/api/api_test_server.hpp"

namespace tern::api {
namespace {

using test_support::ApiTestServer;
using test_support::email_json;

class OpsRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  std::unique_ptr<ApiTestServer> start(ApiOptions options = {}) {
    return std::make_unique<ApiTestServer>(*redis_, options, senders_);
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  AllowAllSenders senders_;
};

std::unique_ptr<testing::RedisServer> OpsRoutesTest::redis_;

bool has(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST_F(OpsRoutesTest, MetricsCountRequestsAndAcceptedEmails) {
  auto server = start();
  ASSERT_EQ(server->call("POST", "/emails", email_json().dump()).status, 200);
  ASSERT_EQ(server->call("GET", "/emails/not-a-uuid").status, 422);
  ASSERT_EQ(server->call("GET", "/nowhere").status, 404);
  auto metrics = server->call("GET", "/metrics", "", "-");
  ASSERT_EQ(metrics.status, 200) << metrics.raw;
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.raw;
  EXPECT_TRUE(has(text, "tern_emails_accepted_total 1\n")) << text;
  EXPECT_TRUE(has(text, "tern_http_requests_total{method=\"POST\",route=\"/emails\",status=\"200\"} 1\n")) << text;
  EXPECT_TRUE(has(text, "tern_http_requests_total{method=\"GET\",route=\"/emails/:id\",status=\"422\"} 1\n")) << text;
  EXPECT_TRUE(has(text, "tern_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n")) << text;
  EXPECT_TRUE(has(text, "tern_http_request_duration_seconds_count{route=\"/emails\"} 1\n")) << text;
  // One email queued and not yet claimed: Redis is read at scrape time.
  EXPECT_TRUE(has(text, "tern_queue_depth{state=\"ready\"} 1\n")) << text;
  EXPECT_TRUE(has(text, "tern_queue_depth{state=\"delayed\"} 0\n")) << text;
}

TEST_F(OpsRoutesTest, MetricsRouteCanBeMovedOffTheApiPort) {
  ApiOptions options;
  options.metrics_route = false;
  auto server = start(options);
  EXPECT_EQ(server->call("GET", "/metrics", "", "-").status, 404);
}

TEST_F(OpsRoutesTest, ConsoleFilesAreServedWithAStrictPolicy) {
  auto server = start();
  auto page = server->call("GET", "/console", "", "-");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(has(page.raw, "<script src=\"/console/app.js\"")) << page.raw;
  EXPECT_TRUE(has(page.header("Content-Security-Policy"), "script-src 'self'"));
  EXPECT_TRUE(has(page.header("Content-Security-Policy"), "frame-ancestors 'none'"));
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer");
  auto script = server->call("GET", "/console/app.js", "", "-");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_TRUE(has(script.raw, "sessionStorage"));
  EXPECT_EQ(server->call("GET", "/console/app.css", "", "-").header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(server->call("GET", "/console/secret.txt", "", "-").status, 404);
  EXPECT_EQ(server->call("GET", "/console/..%2Fapp.js", "", "-").status, 404);
}

TEST_F(OpsRoutesTest, EmailEventsAreTheTeamsOwn) {
  auto server = start();
  auto sent = server->call("POST", "/emails", email_json().dump());
  ASSERT_EQ(sent.status, 200) << sent.raw;
  const std::string id = sent.body["id"];
  auto events = server->call("GET", "/emails/" + id + "/events");
  ASSERT_EQ(events.status, 200) << events.raw;
  EXPECT_EQ(events.body["object"], "list");
  ASSERT_EQ(events.body["data"].size(), 1u) << events.raw;
  EXPECT_EQ(events.body["data"][0]["type"], "email.sent");
  EXPECT_EQ(events.body["data"][0]["recipients"][0], "a@example.org");
  EXPECT_TRUE(events.body["data"][0]["reply"].is_null());
  EXPECT_EQ(server->call("GET", "/emails/" + id + "/events", "", server->other_token).status, 404);
  EXPECT_EQ(server->call("GET", "/emails/" + id + "/events", "", server->sending_token).status, 401);
  EXPECT_EQ(server->call("GET", "/emails/nope/events").status, 422);
}

}  // namespace
}  // namespace tern::api
