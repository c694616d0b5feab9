// rate_limit.hpp - the per-team request limit as the HTTP API applies it
// (resend-api.md §3).
//
// dispatch() calls apply_rate_limit() for every authenticated request,
// before the handler. When a limit applies to the team, every answer gets
// ratelimit-limit, ratelimit-remaining and ratelimit-reset (IETF draft-06
// integers); past it the answer is 429 rate_limit_exceeded with
// retry-after. The bucket lives in Redis (store/redis/rate_limiter.hpp) so
// all API processes share it. Off by default (TERN_RATE_LIMIT=off): then
// nothing is counted and no header is sent. A Redis failure lets the
// request through (logged): the limiter must never take the API down.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/router.hpp"
#include "store/redis/rate_limiter.hpp"

namespace tern::api {

struct RateLimitOutcome {
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<ApiResponse> refusal;  // the 429, when over the limit
};

// rate_limit_headers - the ratelimit-* headers (and retry-after when
// refused) for a decision that applies; none otherwise. Pure.
std::vector<std::pair<std::string, std::string>> rate_limit_headers(const store::RateDecision& decision);

// rate_limit_error - Resend's 429 body, naming the configured rate. Pure.
ApiError rate_limit_error(const store::RateDecision& decision);

RateLimitOutcome apply_rate_limit(ApiServices& services, std::string_view team);

}  // namespace tern::api
