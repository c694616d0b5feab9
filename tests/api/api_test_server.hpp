// api_test_server.hpp - a real HttpServer on 127.0.0.1:0 against a real
// redis-server, with keys for two teams and a small HTTP client, for the
// route tests of batch, idempotency, rate limits, api keys and emails.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/http_server.hpp"
#include "store/redis/api_key_store.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::api::test_support {

struct Answer {
  int status = 0;
  httplib::Headers headers;
  nlohmann::json body;
  std::string raw;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// ApiTestServer - one per test (SetUp/TearDown); Redis is flushed first.
class ApiTestServer {
 public:
  ApiTestServer(tern::testing::RedisServer& redis, ApiOptions options, SenderPolicy& senders)
      : pool_(redis.endpoint()) {
    if (!store::run(pool_, {"FLUSHALL"})) throw std::runtime_error("redis FLUSHALL failed");
    if (options.hostname == "localhost") options.hostname = "mail.tern.test";
    options.threads = 4;
    server_ = std::make_unique<HttpServer>(pool_, clock_, senders, options);
    auto port = server_->bind("127.0.0.1", 0);
    if (!port) throw std::runtime_error(port.error().message);
    thread_ = std::thread([this] { server_->run(); });
    if (!tern::testing::wait_until([this] { return server_->is_running(); }))
      throw std::runtime_error("http server did not start");
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    store::ApiKeyStore keys(pool_);
    full_token = keys.create("full", "team-a", store::Permission::full_access).value().token;
    other_token = keys.create("other", "team-b", store::Permission::full_access).value().token;
    sending_token = keys.create("send", "team-a", store::Permission::sending_access).value().token;
  }

  ~ApiTestServer() {
    server_->stop();
    thread_.join();
  }

  // call - one request; token "" means full_token, "-" means no header.
  Answer call(const std::string& method, const std::string& path, const std::string& body = "",
              const std::string& token = "", httplib::Headers headers = {}) const {
    if (token != "-") headers.emplace("Authorization", "Bearer " + (token.empty() ? full_token : token));
    httplib::Result r = method == "GET"      ? client_->Get(path.c_str(), headers)
                        : method == "DELETE" ? client_->Delete(path.c_str(), headers)
                        : method == "PATCH"  ? client_->Patch(path.c_str(), headers, body, "application/json")
                                             : client_->Post(path.c_str(), headers, body, "application/json");
    if (!r) throw std::runtime_error("no HTTP answer for " + method + " " + path);
    Answer answer{r->status, r->headers, nlohmann::json::parse(r->body, nullptr, false), r->body};
    return answer;
  }

  store::RedisPool& pool() { return pool_; }

  std::string full_token, other_token, sending_token;

 private:
  store::RedisPool pool_;
  SystemClock clock_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

// email_json - a valid send request body.
inline nlohmann::json email_json(const std::string& to = "a@example.org", const std::string& subject = "hello") {
  return nlohmann::json{{"from", "Acme <onboarding@acme.test>"}, {"to", to}, {"subject", subject},
                        {"html", "<p>hi</p>"}};
}

}  // namespace tern::api::test_support
