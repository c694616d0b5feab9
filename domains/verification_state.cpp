// verification_state.cpp - the status transitions and the re-check backoff.
#include "domains/verification_state.hpp"

#include <algorithm>
#include <array>

namespace tern::domains {
namespace {

using std::chrono::minutes;
using std::chrono::hours;
using std::chrono::seconds;

// store_check - one record's verdict onto its stored copy; true if changed.
bool store_check(store::StoredDnsRecord& stored, const dns::RecordCheck& check) {
  const std::string status = dns::to_string(check.status);
  const bool changed = stored.status != status;
  stored.status = status;
  stored.found = check.found;
  stored.problem = check.problem;
  return changed;
}

std::string domain_status(const store::Domain& domain, const dns::DomainCheck& check, TimePoint now) {
  if (check.all_verified()) return "verified";
  if (check.any_temporary()) return "pending";
  const TimePoint started = domain.verification_started_at.value_or(now);
  return now < started + kVerificationWindow ? "pending" : "failed";
}

}  // namespace

seconds next_check_delay(seconds since_start) {
  // (checks made before this point in the window, wait before the next)
  constexpr std::array<std::pair<minutes, minutes>, 4> kSteps = {{
      {minutes(1), minutes(1)},
      {minutes(6), minutes(5)},
      {minutes(21), minutes(15)},
      {minutes(81), minutes(60)},
  }};
  for (const auto& [until, wait] : kSteps)
    if (since_start < until) return wait;
  return hours(6);
}

void start_verification(store::Domain& domain, TimePoint now) {
  if (domain.status == "pending" && domain.verification_started_at) return;
  domain.verification_started_at = now;
  domain.status = "pending";
  for (auto& record : domain.records)
    if (record.status == "not_started") record.status = "pending";
}

std::vector<dns::DnsRecordSpec> expected_records(const store::Domain& domain) {
  std::vector<dns::DnsRecordSpec> out;
  for (const auto& r : domain.records) {
    dns::DnsRecordSpec spec;
    spec.record = r.record;
    spec.name = r.name;
    spec.type = r.type;
    spec.value = r.value;
    spec.priority = r.priority;
    spec.ttl = r.ttl;
    out.push_back(std::move(spec));
  }
  return out;
}

bool apply_check(store::Domain& domain, const dns::DomainCheck& check, TimePoint now) {
  bool changed = false;
  const std::size_t n = std::min(domain.records.size(), check.records.size());
  for (std::size_t i = 0; i < n; ++i) changed = store_check(domain.records[i], check.records[i]) || changed;
  changed = store_check(domain.dmarc, check.dmarc) || changed;

  if (!domain.verification_started_at) domain.verification_started_at = now;
  const std::string status = domain_status(domain, check, now);
  changed = changed || status != domain.status;
  domain.status = status;
  domain.last_checked_at = now;
  domain.next_check_at.reset();
  if (status != "pending") return changed;

  const TimePoint started = *domain.verification_started_at;
  const TimePoint deadline = started + kVerificationWindow;
  const auto since = std::chrono::duration_cast<seconds>(now - started);
  TimePoint next = now + next_check_delay(since);
  // One last check exactly at the deadline; past it (only DNS trouble keeps
  // a domain pending then) keep the slowest pace.
  if (now < deadline) next = std::min(next, deadline);
  domain.next_check_at = next;
  return changed;
}

}  // namespace tern::domains
