// redis_connection.hpp - the RAII hiredis connection and a small pool.
//
// Only store/redis/*.cpp include hiredis; callers see RedisValue, a plain
// copy of a reply. Commands are sent as argument vectors (never formatted
// strings), so no value can break the protocol. An I/O error marks the
// connection broken; the pool replaces broken connections on next use.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/util/config.hpp"
#include "store/util/result.hpp"

struct redisContext;

namespace tern::store {

struct RedisValue {
  enum class Type { nil, string, integer, array, status, error };
  Type type = Type::nil;
  std::string str;             // string, status, error
  long long integer = 0;
  std::vector<RedisValue> elements;

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
};

class RedisConnection {
 public:
  static Result<std::unique_ptr<RedisConnection>> connect(const RedisEndpoint& endpoint,
                                                          std::chrono::milliseconds timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // command - one round trip. A Redis error reply is returned as a value of
  // type error; only I/O failures are Errors (Errc::unavailable).
  Result<RedisValue> command(const std::vector<std::string>& args);

  // pipeline - send all, then read all replies in order.
  Result<std::vector<RedisValue>> pipeline(const std::vector<std::vector<std::string>>& commands);

  // set_read_timeout - for blocking commands (XREADGROUP BLOCK).
  void set_read_timeout(std::chrono::milliseconds timeout);
  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* ctx) : ctx_(ctx) {}
  redisContext* ctx_;
  bool broken_ = false;
};

// RedisPool - connections handed out one per caller; thread-safe.
class RedisPool {
 public:
  RedisPool(RedisEndpoint endpoint, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  class Lease {
   public:
    Lease(RedisPool* pool, std::unique_ptr<RedisConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    RedisConnection& operator*() { return *conn_; }
    RedisConnection* operator->() { return conn_.get(); }

   private:
    RedisPool* pool_;
    std::unique_ptr<RedisConnection> conn_;
  };

  Result<Lease> acquire();
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  friend class Lease;
  void release(std::unique_ptr<RedisConnection> conn);

  RedisEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
};

// run - acquire a connection and run one command (convenience).
Result<RedisValue> run(RedisPool& pool, const std::vector<std::string>& args);

// expect_ok - turn an error reply into an Error naming the command.
Result<RedisValue> expect_ok(Result<RedisValue> reply, std::string_view what);

}  // namespace tern::store
