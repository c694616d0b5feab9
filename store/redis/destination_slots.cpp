#include "store/redis/destination_slots.hpp"

#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"

namespace tern::store {
namespace {

// KEYS[1] leases ZSET, KEYS[2] window; ARGV: limit, lease ms, token.
constexpr const char* kAcquire = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local window = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= window then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1
)lua";

// KEYS[1] leases, KEYS[2] window; ARGV: limit, token, outcome (ok|fail).
constexpr const char* kRelease = R"lua(
redis.call('ZREM', KEYS[1], ARGV[2])
local limit = tonumber(ARGV[1])
local window = tonumber(redis.call('GET', KEYS[2]) or limit)
if ARGV[3] == 'fail' then
  window = math.max(1, math.floor(window / 2))
else
  window = window + 1
end
if window >= limit then
  redis.call('DEL', KEYS[2])
else
  redis.call('SET', KEYS[2], window, 'PX', 600000)
end
return window
)lua";

// KEYS[1] leases; ARGV: lease ms, token. 1 when the lease was still held.
constexpr const char* kRenew = R"lua(
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1
)lua";

}  // namespace

DestinationSlots::DestinationSlots(RedisPool& pool, int limit, std::chrono::milliseconds lease)
    : pool_(pool), limit_(limit), lease_(lease) {}

Result<std::optional<std::string>> DestinationSlots::acquire(std::string_view destination) {
  std::string token = hex_encode(random_bytes(8));
  auto reply = expect_ok(run(pool_, {"EVAL", kAcquire, "2", keys::destination_leases(destination),
                                     keys::destination_window(destination), std::to_string(limit_),
                                     std::to_string(lease_.count()), token}),
                         "acquire destination slot");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->integer != 1) return std::optional<std::string>{};
  return std::optional<std::string>(token);
}

Result<void> DestinationSlots::release(std::string_view destination, const std::string& token, Outcome outcome) {
  auto reply = expect_ok(run(pool_, {"EVAL", kRelease, "2", keys::destination_leases(destination),
                                     keys::destination_window(destination), std::to_string(limit_), token,
                                     outcome == Outcome::success ? "ok" : "fail"}),
                         "release destination slot");
  if (!reply) return tl::unexpected(reply.error());
  return {};
}

Result<bool> DestinationSlots::renew(std::string_view destination, const std::string& token) {
  auto reply = expect_ok(run(pool_, {"EVAL", kRenew, "1", keys::destination_leases(destination),
                                     std::to_string(lease_.count()), token}),
                         "renew destination slot");
  if (!reply) return tl::unexpected(reply.error());
  return reply->integer == 1;
}

Result<int> DestinationSlots::window(std::string_view destination) {
  auto reply = expect_ok(run(pool_, {"GET", keys::destination_window(destination)}), "destination window");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->is_nil()) return limit_;
  return std::stoi(reply->str);
}

}  // namespace tern::store
