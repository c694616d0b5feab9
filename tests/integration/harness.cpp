#include "tests/integration/harness.hpp"

#include <httplib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "store/redis/api_key_store.hpp"

namespace tern::testing {
namespace {

HttpResult to_result(const httplib::Result& r) {
  HttpResult out;
  if (!r) return out;
  out.status = r->status;
  out.content_type = r->get_header_value("Content-Type");
  out.body = r->body;
  return out;
}

}  // namespace

nlohmann::json HttpResult::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j;
}

TernProcess::TernProcess(const std::string& role, Env env) {
  http_port_ = free_loopback_port();
  env["TERN_HTTP_ADDR"] = "127.0.0.1:" + std::to_string(http_port_);
  process_ = ChildProcess({TERN_BINARY, role}, dir_.path() + "/tern.log", env);
  bool ready = false;
  if (role == "worker") {
    ready = wait_until([&] { return log().find("worker started") != std::string::npos || !process_.running(); });
  } else {
    ready = wait_until([&] { return get("/healthz", "").status == 200 || !process_.running(); });
  }
  if (!ready || !process_.running()) throw std::runtime_error("tern " + role + " did not start:\n" + log());
}

TernProcess::~TernProcess() { process_.stop(); }

namespace {
httplib::Headers bearer(const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return headers;
}
}  // namespace

HttpResult TernProcess::post(const std::string& path, const std::string& token, const std::string& body) const {
  httplib::Client client("127.0.0.1", http_port_);
  client.set_read_timeout(10, 0);
  return to_result(client.Post(path.c_str(), bearer(token), body, "application/json"));
}

HttpResult TernProcess::patch(const std::string& path, const std::string& token, const std::string& body) const {
  httplib::Client client("127.0.0.1", http_port_);
  client.set_read_timeout(10, 0);
  return to_result(client.Patch(path.c_str(), bearer(token), body, "application/json"));
}

HttpResult TernProcess::get(const std::string& path, const std::string& token) const {
  httplib::Client client("127.0.0.1", http_port_);
  client.set_read_timeout(10, 0);
  return to_result(client.Get(path.c_str(), bearer(token)));
}

bool TernProcess::wait_for_last_event(const std::string& id, const std::string& token, const std::string& want,
                                      std::chrono::milliseconds timeout) const {
  return wait_until(
      [&] {
        auto r = get("/emails/" + id, token);
        return r.status == 200 && r.json().value("last_event", "") == want;
      },
      timeout);
}

std::string create_api_key(uint16_t redis_port, const std::string& team) {
  RedisEndpoint endpoint;
  endpoint.port = redis_port;
  store::RedisPool pool(endpoint);
  store::ApiKeyStore keys(pool);
  auto created = keys.create("test", team, store::Permission::full_access);
  if (!created) throw std::runtime_error("cannot create API key: " + created.error().message);
  return created->token;
}

int run_tern(const std::vector<std::string>& args, const Env& env, std::string& output) {
  TempDir dir;
  std::vector<std::string> argv = {TERN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p(argv, dir.path() + "/out.log", env);
  wait_until([&] { return !p.running(); }, std::chrono::seconds(30));
  int status = p.stop();
  output = p.log();
  return status;
}

Env base_env(uint16_t redis_port) {
  return Env{{"TERN_REDIS_URL", "redis://127.0.0.1:" + std::to_string(redis_port) + "/0"},
             {"TERN_HOSTNAME", "tern.test"},
             {"TERN_DEV", "true"},
             {"TERN_MX_ALLOW_PRIVATE", "true"},
             {"TERN_RETRY_SCHEDULE", "1s"},
             {"TERN_SMTP_TIMEOUT", "10s"},
             {"TERN_CLAIM_TIMEOUT", "2s"},
             {"TERN_WORKER_CONCURRENCY", "4"},
             {"TERN_LOG_LEVEL", "debug"}};
}

}  // namespace tern::testing
