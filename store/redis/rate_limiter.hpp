// rate_limiter.hpp - a token bucket per team, kept in Redis so every API
// process shares one limit (DESIGN.md §4 "scale out").
//
// One Lua script reads the team's override (keys::team_rate_limit: "off"
// or "<count>/<s|m|h>[,burst]", an unparsable value is ignored), refills
// the bucket by elapsed time (Redis TIME is the clock, so processes on
// different machines agree), takes one token if there is one, and answers
// what the ratelimit-* headers need. The bucket expires once it would be
// full again, so idle teams cost nothing.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/redis/redis_connection.hpp"
#include "store/util/config.hpp"

namespace tern::store {

struct RateDecision {
  bool applies = false;       // false: no limit for this team (headers omitted)
  bool allowed = true;
  int limit = 0;              // requests per window (the configured count)
  Seconds window{1};
  int remaining = 0;          // whole tokens left after this request
  int reset_seconds = 0;      // until the bucket is full again
  int retry_after_seconds = 0;  // when refused: until one token is back (>= 1)
};

// TeamLimitOverrides - which teams have a per-team limit of their own, so
// overrides apply while the global limit is off without a Redis call per
// request: each team's key is read at most once per `ttl` per process (a
// change takes effect within ttl). One per API process, shared by threads.
class TeamLimitOverrides {
 public:
  explicit TeamLimitOverrides(std::chrono::steady_clock::duration ttl = std::chrono::seconds(5)) : ttl_(ttl) {}

  // limited - the team's override is set and not "off".
  Result<bool> limited(RedisPool& pool, std::string_view team);

 private:
  struct Entry {
    bool limited = false;
    std::chrono::steady_clock::time_point read_at;
  };
  std::chrono::steady_clock::duration ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

class RateLimiter {
 public:
  // global - the default for every team. When it is off, only teams whose
  // override `overrides` reports are limited (no override table: nothing,
  // and no Redis call at all).
  RateLimiter(RedisPool& pool, RateLimitConfig global, TeamLimitOverrides* overrides = nullptr)
      : pool_(pool), global_(global), overrides_(overrides) {}

  bool enabled() const { return global_.enabled() || overrides_ != nullptr; }

  // take - spend one request of `team`'s budget.
  Result<RateDecision> take(std::string_view team);

 private:
  RedisPool& pool_;
  RateLimitConfig global_;
  TeamLimitOverrides* overrides_;
};

}  // namespace tern::store
