// rate_limiter.cpp - the token-bucket script and its reply.
#include "store/redis/rate_limiter.hpp"

#include <algorithm>

#include "store/redis/keys.hpp"

namespace tern::store {
namespace {

// KEYS: bucket hash, override string. ARGV: count, window seconds, burst.
// Returns {applies, allowed, count, window, remaining, reset_ms, retry_ms}.
constexpr const char* kTakeScript = R"lua(
local count, per, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local override = redis.call('GET', KEYS[2])
if override then
  if override == 'off' then return {0, 1, 0, 0, 0, 0, 0} end
  local c, u, b = string.match(override, '^(%d+)/([smh]),?(%d*)$')
  if c then
    count = tonumber(c)
    per = (u == 's' and 1) or (u == 'm' and 60) or 3600
    burst = tonumber(b) or 0
  end
end
if count <= 0 then return {0, 1, 0, 0, 0, 0, 0} end
if burst <= 0 then burst = count end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = count / (per * 1000)
local data = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(data[1]) or burst
local ts = tonumber(data[2]) or now
if now > ts then tokens = tokens + (now - ts) * rate end
if tokens > burst then tokens = burst end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
local retry_ms = 0
if allowed == 0 then retry_ms = math.ceil((1 - tokens) / rate) end
local reset_ms = math.ceil((burst - tokens) / rate)
return {1, allowed, count, per, math.floor(tokens), reset_ms, retry_ms}
)lua";

int ceil_seconds(long long ms) { return static_cast<int>((ms + 999) / 1000); }

constexpr std::size_t kMaxCachedTeams = 100000;  // past this the table starts over

}  // namespace

Result<bool> TeamLimitOverrides::limited(RedisPool& pool, std::string_view team) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(std::string(team));
    if (it != entries_.end() && now - it->second.read_at < ttl_) return it->second.limited;
  }
  auto value = expect_ok(run(pool, {"GET", keys::team_rate_limit(team)}), "rate limit override");
  if (!value) return tl::unexpected(value.error());
  const bool limited = !value->is_nil() && value->str != "off";
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxCachedTeams) entries_.clear();
  entries_[std::string(team)] = Entry{limited, now};
  return limited;
}

Result<RateDecision> RateLimiter::take(std::string_view team) {
  RateDecision decision;
  if (!global_.enabled()) {
    if (!overrides_) return decision;
    auto limited = overrides_->limited(pool_, team);
    if (!limited) return tl::unexpected(limited.error());
    if (!*limited) return decision;  // the script below reads the override itself
  }
  auto reply = expect_ok(run(pool_, {"EVAL", kTakeScript, "2", keys::rate_bucket(team), keys::team_rate_limit(team),
                                     std::to_string(global_.count), std::to_string(global_.per.count()),
                                     std::to_string(global_.burst)}),
                         "rate limit");
  if (!reply) return tl::unexpected(reply.error());
  const auto& e = reply->elements;
  if (e.size() != 7) return fail(Errc::protocol, "rate limit: unexpected reply");
  decision.applies = e[0].integer == 1;
  decision.allowed = e[1].integer == 1;
  if (!decision.applies) return decision;
  decision.limit = static_cast<int>(e[2].integer);
  decision.window = Seconds(e[3].integer);
  decision.remaining = static_cast<int>(e[4].integer);
  decision.reset_seconds = ceil_seconds(e[5].integer);
  decision.retry_after_seconds = decision.allowed ? 0 : std::max(1, ceil_seconds(e[6].integer));
  return decision;
}

}  // namespace tern::store
