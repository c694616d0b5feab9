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

#include <string_view>

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

class RateLimiter {
 public:
  // global - the default for every team; when it is off the limiter does
  // nothing (no Redis call) and per-team overrides are not consulted.
  RateLimiter(RedisPool& pool, RateLimitConfig global) : pool_(pool), global_(global) {}

  bool enabled() const { return global_.enabled(); }

  // take - spend one request of `team`'s budget.
  Result<RateDecision> take(std::string_view team);

 private:
  RedisPool& pool_;
  RateLimitConfig global_;
};

}  // namespace tern::store
