// domain_rechecker.cpp - due domains -> DomainService::recheck.
#include "worker/domain_rechecker.hpp"

#include "store/redis/domain_store.hpp"
#include "store/util/log.hpp"

namespace tern::worker {

DomainRechecker::DomainRechecker(store::RedisPool& pool, dns::Resolver& resolver, domains::DomainSettings settings,
                                 int batch)
    : pool_(pool), service_(pool, &resolver, std::move(settings)), batch_(batch > 0 ? batch : 1) {}

RecheckStats DomainRechecker::tick(TimePoint now) {
  RecheckStats stats;
  store::DomainStore store(pool_);
  auto due = store.due_for_check(now, batch_);
  if (!due) {
    log::warn("domain re-check: cannot read the schedule", {{"error", due.error().message}});
    ++stats.errors;
    return stats;
  }
  for (const auto& [team, id] : *due) {
    auto checked = service_.recheck(team, id, now);
    if (!checked) {
      // not_found: deleted after it was claimed; nothing to do.
      if (checked.error().code != Errc::not_found) {
        log::warn("domain re-check failed", {{"domain_id", id}, {"team", team}, {"error", checked.error().message}});
        ++stats.errors;
      }
      continue;
    }
    ++stats.checked;
    if (checked->status == "verified") ++stats.verified;
    if (checked->status == "failed") ++stats.failed;
    log::debug("domain re-checked", {{"domain_id", id}, {"team", team}, {"status", checked->status}});
  }
  return stats;
}

}  // namespace tern::worker
