// domain_rechecker.hpp - the background half of domain verification: each
// tick() takes the domains whose next check is due (DomainStore::
// due_for_check, which claims them so several workers do not double up) and
// re-verifies them with the same domains::DomainService the API uses. The
// service's verification_state.hpp decides the backoff (1 m, 5 m, 15 m, 1 h,
// then every 6 h) and turns a domain "failed" 72 hours after verification
// started; a verified or failed domain leaves the schedule.
//
// tick() is synchronous (DNS lookups block) and never throws; one domain's
// failure is logged and does not stop the others. Call it from the worker's
// housekeeping loop every few seconds.
#pragma once

#include "domains/domain_service.hpp"
#include "dnscheck/resolver.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/time_format.hpp"

namespace tern::worker {

struct RecheckStats {
  int checked = 0;   // domains looked up
  int verified = 0;  // of which now verified
  int failed = 0;    // of which now failed for good
  int errors = 0;    // domains that could not be checked (Redis, no resolver)
};

class DomainRechecker {
 public:
  DomainRechecker(store::RedisPool& pool, dns::Resolver& resolver, domains::DomainSettings settings,
                  int batch = 20);

  RecheckStats tick(TimePoint now);

 private:
  store::RedisPool& pool_;
  domains::DomainService service_;
  int batch_;
};

}  // namespace tern::worker
