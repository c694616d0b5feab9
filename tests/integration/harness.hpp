// harness.hpp - what every integration scenario needs: the real `tern`
// binary started as a child process with a given environment, an HTTP
// client for its API, and an API key in its Redis.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/peers/process.hpp"

namespace tern::testing {

using Env = std::map<std::string, std::string>;

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
  nlohmann::json json() const;
};

class TernProcess {
 public:
  // role: "serve", "api" or "worker". Port of the API is chosen freely.
  TernProcess(const std::string& role, Env env);
  ~TernProcess();

  uint16_t http_port() const { return http_port_; }
  void kill_hard() { process_.kill_hard(); }
  int stop() { return process_.stop(); }
  std::string log() const { return process_.log(); }

  HttpResult post(const std::string& path, const std::string& token, const std::string& body) const;
  HttpResult patch(const std::string& path, const std::string& token, const std::string& body) const;
  HttpResult get(const std::string& path, const std::string& token) const;

  // wait_for_last_event - poll GET /emails/{id} until last_event == want.
  bool wait_for_last_event(const std::string& id, const std::string& token, const std::string& want,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

 private:
  TempDir dir_;
  uint16_t http_port_ = 0;
  ChildProcess process_;
};

// create_api_key - a full_access key for team in the Redis at redis_url.
std::string create_api_key(uint16_t redis_port, const std::string& team = "team-a");

// run_tern - run the binary to completion; exit status and combined output.
int run_tern(const std::vector<std::string>& args, const Env& env, std::string& output);

// base_env - settings every scenario shares: its Redis, short timeouts,
// loopback MX allowed, a short retry schedule.
Env base_env(uint16_t redis_port);

}  // namespace tern::testing
