// rate_limit.cpp - headers and the 429 for a rate decision.
#include "api/rate_limit.hpp"

#include "store/util/log.hpp"

namespace tern::api {
namespace {

std::string window_name(Seconds window) {
  if (window == Seconds(60)) return "minute";
  if (window == Seconds(3600)) return "hour";
  if (window == Seconds(1)) return "second";
  return std::to_string(window.count()) + " seconds";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> rate_limit_headers(const store::RateDecision& decision) {
  if (!decision.applies) return {};
  std::vector<std::pair<std::string, std::string>> out = {
      {"ratelimit-limit", std::to_string(decision.limit)},
      {"ratelimit-remaining", std::to_string(decision.remaining)},
      {"ratelimit-reset", std::to_string(decision.reset_seconds)},
  };
  if (!decision.allowed) out.emplace_back("retry-after", std::to_string(decision.retry_after_seconds));
  return out;
}

ApiError rate_limit_error(const store::RateDecision& decision) {
  return {429, "rate_limit_exceeded",
          "Too many requests. You can only make " + std::to_string(decision.limit) + " requests per " +
              window_name(decision.window) +
              ". See rate limit response headers for more information. Or contact support to increase rate limit."};
}

RateLimitOutcome apply_rate_limit(ApiServices& services, std::string_view team) {
  RateLimitOutcome out;
  store::RateLimiter limiter(services.pool, services.options.rate_limit, services.team_limits.get());
  if (!limiter.enabled()) return out;
  auto decision = limiter.take(team);
  if (!decision) {
    log::warn("rate limiter unavailable; request let through",
              {{"team", std::string(team)}, {"error", decision.error().message}});
    return out;
  }
  out.headers = rate_limit_headers(*decision);
  if (decision->applies && !decision->allowed) out.refusal = error_response(rate_limit_error(*decision));
  return out;
}

}  // namespace tern::api
