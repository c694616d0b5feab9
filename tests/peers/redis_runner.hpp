// redis_runner.hpp - a real redis-server for one test, on a free loopback
// port, data in a temp dir, AOF on with appendfsync always (as production
// must run). Can be killed with SIGKILL and restarted on the same data.
#pragma once

#include <memory>
#include <string>

#include "store/util/config.hpp"
#include "tests/peers/process.hpp"

namespace tern::testing {

class RedisServer {
 public:
  RedisServer();
  ~RedisServer();

  uint16_t port() const { return port_; }
  RedisEndpoint endpoint() const;
  std::string url() const;  // redis://127.0.0.1:PORT/0

  void kill_hard();  // SIGKILL, no shutdown save
  void start();      // (re)start on the same port and data dir; waits until it answers

 private:
  TempDir dir_;
  uint16_t port_ = 0;
  ChildProcess process_;
};

}  // namespace tern::testing
