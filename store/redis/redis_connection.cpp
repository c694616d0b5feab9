#include "store/redis/redis_connection.hpp"

#include <sys/time.h>

#include <hiredis/hiredis.h>

namespace tern::store {
namespace {

RedisValue copy_reply(const redisReply* r) {
  RedisValue v;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      v.type = RedisValue::Type::string;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      v.type = RedisValue::Type::status;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      v.type = RedisValue::Type::error;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      v.type = RedisValue::Type::integer;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      v.type = RedisValue::Type::array;
      v.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) v.elements.push_back(copy_reply(r->element[i]));
      break;
    default:
      v.type = RedisValue::Type::nil;
  }
  return v;
}

timeval to_timeval(std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = t.count() / 1000;
  tv.tv_usec = (t.count() % 1000) * 1000;
  return tv;
}

void append(redisContext* ctx, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(ctx, int(args.size()), argv.data(), lens.data());
}

}  // namespace

Result<std::unique_ptr<RedisConnection>> RedisConnection::connect(const RedisEndpoint& endpoint,
                                                                  std::chrono::milliseconds timeout) {
  timeval tv = to_timeval(timeout);
  redisContext* ctx = endpoint.unix_socket.empty()
                          ? redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, tv)
                          : redisConnectUnixWithTimeout(endpoint.unix_socket.c_str(), tv);
  if (ctx == nullptr) return fail(Errc::unavailable, "redis: out of memory");
  std::string where =
      endpoint.unix_socket.empty() ? endpoint.host + ":" + std::to_string(endpoint.port) : endpoint.unix_socket;
  if (ctx->err) {
    std::string msg = "redis " + where + ": " + ctx->errstr;
    redisFree(ctx);
    return fail(Errc::unavailable, msg);
  }
  redisSetTimeout(ctx, tv);
  std::unique_ptr<RedisConnection> conn(new RedisConnection(ctx));
  if (!endpoint.password.empty()) {
    auto r = conn->command({"AUTH", endpoint.password});
    if (!r) return tl::unexpected(r.error());
    if (r->is_error()) return fail(Errc::unavailable, "redis " + where + ": AUTH failed: " + r->str);
  }
  if (endpoint.db != 0) {
    auto r = conn->command({"SELECT", std::to_string(endpoint.db)});
    if (!r) return tl::unexpected(r.error());
    if (r->is_error()) return fail(Errc::unavailable, "redis " + where + ": SELECT failed: " + r->str);
  }
  return conn;
}

RedisConnection::~RedisConnection() {
  if (ctx_) redisFree(ctx_);
}

void RedisConnection::set_read_timeout(std::chrono::milliseconds timeout) {
  redisSetTimeout(ctx_, to_timeval(timeout));
}

Result<RedisValue> RedisConnection::command(const std::vector<std::string>& args) {
  auto replies = pipeline({args});
  if (!replies) return tl::unexpected(replies.error());
  return std::move(replies->front());
}

Result<std::vector<RedisValue>> RedisConnection::pipeline(const std::vector<std::vector<std::string>>& commands) {
  if (broken_) return fail(Errc::unavailable, "redis connection broken");
  for (const auto& c : commands) append(ctx_, c);
  std::vector<RedisValue> out;
  out.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
      broken_ = true;
      return fail(Errc::unavailable, std::string("redis: ") + (ctx_->err ? ctx_->errstr : "no reply"));
    }
    auto* reply = static_cast<redisReply*>(raw);
    out.push_back(copy_reply(reply));
    freeReplyObject(reply);
  }
  return out;
}

RedisPool::RedisPool(RedisEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

RedisPool::Lease::~Lease() {
  if (pool_ && conn_) pool_->release(std::move(conn_));
}

Result<RedisPool::Lease> RedisPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  auto conn = RedisConnection::connect(endpoint_, timeout_);
  if (!conn) return tl::unexpected(conn.error());
  return Lease(this, std::move(*conn));
}

void RedisPool::release(std::unique_ptr<RedisConnection> conn) {
  if (conn->broken()) return;  // dropped; the next acquire reconnects
  std::lock_guard lock(mutex_);
  if (idle_.size() < 256) idle_.push_back(std::move(conn));
}

Result<RedisValue> run(RedisPool& pool, const std::vector<std::string>& args) {
  auto lease = pool.acquire();
  if (!lease) return tl::unexpected(lease.error());
  return (*lease)->command(args);
}

Result<RedisValue> expect_ok(Result<RedisValue> reply, std::string_view what) {
  if (!reply) return reply;
  if (reply->is_error()) return fail(Errc::unavailable, "redis " + std::string(what) + ": " + reply->str);
  return reply;
}

}  // namespace tern::store
