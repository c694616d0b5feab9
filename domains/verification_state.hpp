// verification_state.hpp - how one DNS check moves a domain along (pure).
//
// A verification runs for kVerificationWindow (72 hours, as Resend) from the
// moment it starts. Each check stores, per record, Resend's status plus what
// was found and what is wrong, and then sets the domain's status:
//   every record verified                 -> "verified", no more checks;
//   a DNS timeout/SERVFAIL on any record  -> "pending", checked again (DNS
//                                            trouble never fails a domain);
//   a record wrong, window still open     -> "pending", checked again;
//   a record wrong, window over           -> "failed", no more checks.
// Checks back off: 1 minute after the start, then 5 m, 15 m, 1 h, and every
// 6 h after that, with one last check at the end of the window.
#pragma once

#include <chrono>
#include <optional>

#include "dnscheck/verify_domain.hpp"
#include "store/redis/domain_store.hpp"

namespace tern::domains {

inline constexpr std::chrono::hours kVerificationWindow{72};

// next_check_delay - the wait before the next check, by the time since the
// verification started.
std::chrono::seconds next_check_delay(std::chrono::seconds since_start);

// start_verification - a customer asked to verify: open a new window at now
// unless one is running ("pending"), and mark unchecked records pending.
void start_verification(store::Domain& domain, TimePoint now);

// expected_records - the domain's records as dnscheck expects them.
std::vector<dns::DnsRecordSpec> expected_records(const store::Domain& domain);

// apply_check - fold a check made at `now` into the domain (records, DMARC
// advice, status, last_checked_at, next_check_at). Returns true when any
// status (the domain's or a record's) changed.
bool apply_check(store::Domain& domain, const dns::DomainCheck& check, TimePoint now);

}  // namespace tern::domains
