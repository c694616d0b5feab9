// metrics_test.cpp - GET /metrics on the real binary: the text parses (our
// own reading and Debian's python3-prometheus-client parser) and the
// counters move as mail flows: accepted, delivered, deferred and retried,
// SMTP and end-to-end latency, API requests, webhook attempts, queue depth.
// And a split deployment: `tern worker` exposes its counters on
// TERN_METRICS_ADDR, and an API given TERN_METRICS_ADDR keeps /metrics off
// its public port.
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>

#include "tests/integration/harness.hpp"
#include "tests/peers/redis_runner.hpp"
#include "tests/peers/smtp_peer.hpp"
#include "tests/peers/webhook_receiver.hpp"

namespace tern::testing {
namespace {

struct Scrape {
  int status = 0;
  std::string content_type;
  std::string body;
};

Scrape scrape(uint16_t port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  auto r = client.Get("/metrics");
  if (!r) return {};
  return Scrape{r->status, r->get_header_value("Content-Type"), r->body};
}

// samples - "name{labels}" -> value, from the text format (comments skipped).
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

double value(const std::string& text, const std::string& series) {
  auto all = samples(text);
  auto it = all.find(series);
  return it == all.end() ? -1 : it->second;
}

// python_parses - Debian's prometheus_client parser reads the whole text.
bool python_parses(const std::string& text, std::string& output) {
  TempDir dir;
  const std::string path = dir.path() + "/metrics.txt";
  std::ofstream(path) << text;
  const std::string command =
      "/usr/bin/python3 -c 'import sys; from prometheus_client.parser import text_string_to_metric_families as p; "
      "print(len(list(p(open(sys.argv[1]).read()))))' " + path + " > " + dir.path() + "/out.txt 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(dir.path() + "/out.txt");
  output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return status == 0;
}

std::string send(const TernProcess& tern, const std::string& token, const std::string& to) {
  auto r = tern.post("/emails", token, R"({"from":"a@sender.test","to":")" + to + R"(","subject":"m","text":"x"})");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json().value("id", "");
}

TEST(Metrics, CountersMoveAsMailFlows) {
  RedisServer redis;
  SmtpPeer peer;
  WebhookReceiver receiver;
  Env env = base_env(redis.port());
  env["TERN_RELAY_URL"] = "smtp://127.0.0.1:" + std::to_string(peer.port());
  env["TERN_WEBHOOK_ALLOW_PRIVATE"] = "true";
  TernProcess tern("serve", env);
  const std::string token = create_api_key(redis.port());

  Scrape first = scrape(tern.http_port());
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(value(first.body, "tern_emails_accepted_total"), 0) << first.body;

  auto hook = tern.post("/webhooks", token,
                        R"({"endpoint":")" + receiver.url() + R"(","events":["email.delivered"]})");
  ASSERT_EQ(hook.status, 201) << hook.body;
  const std::string ok = send(tern, token, "ok@example.test");
  const std::string deferred = send(tern, token, "tempfail@example.test");
  ASSERT_TRUE(tern.wait_for_last_event(ok, token, "delivered")) << tern.log();
  ASSERT_TRUE(tern.wait_for_last_event(deferred, token, "delivery_delayed")) << tern.log();
  ASSERT_TRUE(receiver.wait_for_count(1));

  // The 1s retry schedule retries the deferred recipient; the webhook
  // attempt is counted after its answer.
  std::string text;
  ASSERT_TRUE(wait_until([&] {
    text = scrape(tern.http_port()).body;
    return value(text, "tern_delivery_retries_total") >= 1 &&
           value(text, "tern_webhook_attempts_total{outcome=\"success\"}") >= 1;
  }))
      << text;
  EXPECT_EQ(value(text, "tern_emails_accepted_total"), 2) << text;
  EXPECT_EQ(value(text, "tern_deliveries_total{outcome=\"delivered\",domain=\"example.test\"}"), 1) << text;
  EXPECT_GE(value(text, "tern_deliveries_total{outcome=\"deferred\",domain=\"example.test\"}"), 2) << text;
  EXPECT_GE(value(text, "tern_smtp_transaction_duration_seconds_count{result=\"ok\"}"), 3) << text;
  EXPECT_EQ(value(text, "tern_email_delivery_latency_seconds_count"), 1) << text;
  EXPECT_EQ(value(text, "tern_http_requests_total{method=\"POST\",route=\"/emails\",status=\"200\"}"), 2) << text;
  EXPECT_GE(value(text, "tern_http_request_duration_seconds_count{route=\"/emails/:id\"}"), 2) << text;
  EXPECT_GE(value(text, "tern_queue_depth{state=\"ready\"}"), 0) << text;
  EXPECT_GE(value(text, "tern_queue_depth{state=\"delayed\"}"), 0) << text;
  EXPECT_GE(value(text, "tern_queue_depth{state=\"in_flight\"}"), 0) << text;

  std::string parsed;
  EXPECT_TRUE(python_parses(text, parsed)) << parsed << "\n" << text;

  // The depth is read from Redis: a scheduled email waits in the delayed set.
  auto later = tern.post("/emails", token,
                         R"({"from":"a@sender.test","to":"ok@example.test","subject":"m","text":"x",)"
                         R"("scheduled_at":"in 1 hour"})");
  ASSERT_EQ(later.status, 200) << later.body;
  const std::string after = scrape(tern.http_port()).body;
  EXPECT_GE(value(after, "tern_queue_depth{state=\"delayed\"}"), 1) << after;
}

TEST(Metrics, SplitDeploymentScrapesApiAndWorkerOnTheirOwnListeners) {
  RedisServer redis;
  SmtpPeer peer;
  Env env = base_env(redis.port());
  env["TERN_RELAY_URL"] = "smtp://127.0.0.1:" + std::to_string(peer.port());
  Env api_env = env;
  const uint16_t api_metrics = free_loopback_port();
  api_env["TERN_METRICS_ADDR"] = "127.0.0.1:" + std::to_string(api_metrics);
  Env worker_env = env;
  const uint16_t worker_metrics = free_loopback_port();
  worker_env["TERN_METRICS_ADDR"] = "127.0.0.1:" + std::to_string(worker_metrics);
  TernProcess api("api", api_env);
  TernProcess worker("worker", worker_env);
  const std::string token = create_api_key(redis.port());

  const std::string id = send(api, token, "ok@example.test");
  ASSERT_TRUE(api.wait_for_last_event(id, token, "delivered")) << worker.log();

  EXPECT_EQ(api.get("/metrics", "").status, 404);  // moved off the public port
  const std::string api_text = scrape(api_metrics).body;
  EXPECT_EQ(value(api_text, "tern_emails_accepted_total"), 1) << api_text;
  std::string worker_text;
  ASSERT_TRUE(wait_until([&] {
    worker_text = scrape(worker_metrics).body;
    return value(worker_text, "tern_deliveries_total{outcome=\"delivered\",domain=\"example.test\"}") == 1;
  }))
      << worker_text;
  EXPECT_EQ(value(worker_text, "tern_emails_accepted_total"), 0) << worker_text;
}

}  // namespace
}  // namespace tern::testing
