// services.hpp - what the API's handlers are given: the Redis pool, the
// clock, the sender policy, the options and the DNS resolver. Passed down from main; nothing
// here is global.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "dnscheck/resolver.hpp"
#include "store/redis/rate_limiter.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/clock.hpp"
#include "store/util/config.hpp"
#include "store/util/result.hpp"
#include "store/util/service_metrics.hpp"

namespace tern::api {

struct ApiOptions {
  std::string hostname = "localhost";  // Message-ID domain (TERN_HOSTNAME)
  bool dev = false;                    // TERN_DEV: any from-domain may send
  int threads = 64;                    // HTTP worker threads
  // 40 MiB of attachments travel as 53.4 MiB of base64: the body limit lets
  // them (and the JSON around them) through, so the 40 MiB rule answers
  // 422 invalid_attachment and this one 413 only past it.
  std::size_t max_body_bytes = 56 * 1024 * 1024;
  // Domains (api/domains_routes.hpp). Empty spf_mechanism / feedback_host
  // fall back to "a:<hostname>" / "feedback-smtp.<hostname>".
  std::string master_key = {};         // TERN_MASTER_KEY: seals DKIM private keys
  std::string dkim_selector = "tern";  // DKIM selector of new domains ("<selector>-ed" for Ed25519)
  std::string spf_mechanism = {};      // what the customer's SPF record must contain for Tern's hosts
  std::string feedback_host = {};      // the return-path MX target
  RateLimitConfig rate_limit;          // TERN_RATE_LIMIT[_BURST]; off by default (rate_limit.hpp)
  bool webhook_allow_private = false;  // TERN_WEBHOOK_ALLOW_PRIVATE: http:// and private-IP endpoints allowed
  bool metrics_route = true;           // GET /metrics on this port (off when TERN_METRICS_ADDR moves it)
  bool console = true;                 // GET /console, the web console's static files
};

// SenderPolicy - may this team send from this domain? Implemented by the
// composition root (dev mode allows everything; later, verified domains).
// An Error of code unavailable or internal is a 500; any other Error means
// "not allowed" and is answered 403 validation_error (domain not verified).
class SenderPolicy {
 public:
  virtual ~SenderPolicy() = default;
  virtual Result<void> may_send_from(std::string_view team, std::string_view domain) = 0;
};

// AllowAllSenders - dev mode and tests: every domain is allowed.
class AllowAllSenders final : public SenderPolicy {
 public:
  Result<void> may_send_from(std::string_view, std::string_view) override { return {}; }
};

struct ApiServices {
  store::RedisPool& pool;
  const Clock& clock;
  SenderPolicy& senders;
  const ApiOptions& options;
  dns::Resolver* resolver = nullptr;  // for POST /domains/{id}/verify; null answers 500
  metrics::ServiceMetrics* metrics = nullptr;  // the process's metrics; never null inside HttpServer
  // Which teams have a rate limit of their own (rate_limiter.hpp); shared
  // by every request of the process.
  std::shared_ptr<store::TeamLimitOverrides> team_limits = std::make_shared<store::TeamLimitOverrides>();
};

}  // namespace tern::api
