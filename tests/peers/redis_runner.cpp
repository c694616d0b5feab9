#include "tests/peers/redis_runner.hpp"

#include <fstream>
#include <stdexcept>

namespace tern::testing {

RedisServer::RedisServer() {
  port_ = free_loopback_port();
  std::ofstream conf(dir_.path() + "/redis.conf");
  conf << "bind 127.0.0.1\n"
       << "port " << port_ << "\n"
       << "dir " << dir_.path() << "\n"
       << "appendonly yes\n"
       << "appendfsync always\n"
       << "save \"\"\n"
       << "maxmemory-policy noeviction\n"
       << "daemonize no\n"
       << "protected-mode yes\n";
  conf.close();
  start();
}

RedisServer::~RedisServer() { process_.stop(std::chrono::seconds(5)); }

RedisEndpoint RedisServer::endpoint() const {
  RedisEndpoint e;
  e.host = "127.0.0.1";
  e.port = port_;
  return e;
}

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

void RedisServer::kill_hard() { process_.kill_hard(); }

void RedisServer::start() {
  std::string bin = find_program("redis-server");
  if (bin.empty()) throw std::runtime_error("redis-server is not installed (apt-get install redis-server)");
  process_ = ChildProcess({bin, dir_.path() + "/redis.conf"}, dir_.path() + "/redis.log");
  if (!wait_until([&] { return can_connect(port_); }, std::chrono::seconds(20)))
    throw std::runtime_error("redis-server did not start: " + process_.log());
}

}  // namespace tern::testing
