// verify_domain.hpp - look every expected record up and say, per record,
// whether it is right and, if not, what is wrong and how to fix it.
//
// Verdicts are values: RecordStatus per record. A DNS timeout or SERVFAIL
// is temporary_failure, never failed. Checks, at least: missing record;
// wrong value (expected vs found); two SPF records on one name (permerror);
// SPF that does not authorise Tern; SPF needing more than 10 DNS lookups
// (include:, redirect=, a, mx, ptr, exists counted, walked recursively);
// DKIM key that does not match ours or is syntactically broken (several
// strings are joined); DMARC missing or with bad syntax (advice only: it
// does not fail the domain).
#pragma once

#include <string>
#include <vector>

#include "dnscheck/domain_records.hpp"
#include "dnscheck/resolver.hpp"

namespace tern::dns {

enum class RecordStatus { not_started, pending, verified, failed, temporary_failure };
const char* to_string(RecordStatus status);  // Resend's spelling

struct RecordCheck {
  DnsRecordSpec expected;
  RecordStatus status = RecordStatus::not_started;
  std::string found;    // what DNS returned (joined), empty when nothing
  std::string problem;  // empty when verified; else what is wrong and how to fix it
  std::vector<std::string> warnings;  // worth fixing, but not failing (+all, t=y, 1024-bit key...)
};

struct DomainCheck {
  std::vector<RecordCheck> records;  // same order as the expected records
  RecordCheck dmarc;                 // advice: verified / failed with the reason
  bool all_verified() const;
  bool any_temporary() const;
};

struct VerifyPolicy {
  std::string spf_mechanism;  // the mechanism Tern's SPF record must contain, directly or via include:
};

// check_dmarc_advice - the DMARC record that applies to domain: at
// _dmarc.<domain>, else at the nearest parent below the TLD (RFC 9989 tree
// walk). expected is dmarc_advice(domain). Missing, several records or bad
// syntax -> failed with the reason; a timeout -> temporary_failure.
// return_path (relative, "send") is used to warn when aspf=s keeps SPF
// from aligning.
RecordCheck check_dmarc_advice(Resolver& resolver, const std::string& domain, const std::string& return_path = "send");

DomainCheck verify_domain(Resolver& resolver, const std::string& domain, const std::vector<DnsRecordSpec>& expected,
                          const VerifyPolicy& policy);

}  // namespace tern::dns
