// verify_domain.cpp - every expected record looked up, one verdict each.
//
// Policy, per expected record (names are relative to the domain):
//   MX  <return path>   verified when our feedback host is among the MX
//                       hosts at any preference; a null MX is an error
//                       (receivers reject that return path, 550 5.7.27)
//   TXT <return path>   SPF (spf.hpp): none -> missing; several, syntax,
//                       > 10 lookups, > 2 void lookups -> failed (permerror);
//                       valid but not reaching our mechanism -> failed
//   TXT <sel>._domainkey  DKIM (dkim_record.hpp): missing, several TXT
//                       records, broken syntax, revoked, or a key that is
//                       not ours -> failed
//   DMARC advice at _dmarc.<domain> (or the nearest parent below the TLD,
//   as RFC 9989's tree walk finds it): missing or invalid -> failed, but it
//   never counts against the domain.
// A temporary DNS failure anywhere is temporary_failure, never failed.
// Every problem says what is wrong, what was expected and found, and what
// to publish.
#include "dnscheck/verify_domain.hpp"

#include <algorithm>

#include "dnscheck/dkim_record.hpp"
#include "dnscheck/dmarc.hpp"
#include "dnscheck/spf.hpp"
#include "dnscheck/tag_list.hpp"

namespace tern::dns {
namespace {

std::string fqdn(const std::string& name, const std::string& domain) {
  if (name.empty() || name == "@") return domain;
  return name + "." + domain;
}

std::string host_name(std::string_view name) {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return ascii_lower(name);
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : std::string()) + items[i];
  return out;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// lookup_trouble - true (and the check filled in) when a lookup did not
// give a usable answer: temporary -> temporary_failure, junk -> failed.
bool lookup_trouble(RecordCheck& check, LookupStatus status, const std::string& what, const std::string& detail) {
  if (status == LookupStatus::temporary) {
    check.status = RecordStatus::temporary_failure;
    check.problem = "the DNS lookup for " + what + " failed temporarily (" + detail +
                    "); this says nothing about the record: it is checked again later";
    return true;
  }
  if (status == LookupStatus::error) {
    check.status = RecordStatus::failed;
    check.problem = "the DNS lookup for " + what + " returned an unusable answer (" + detail +
                    "): check the domain's name servers";
    return true;
  }
  return false;
}

void fail_check(RecordCheck& check, std::string problem) {
  check.status = RecordStatus::failed;
  check.problem = std::move(problem);
}

void check_mx(Resolver& resolver, RecordCheck& check, const std::string& name) {
  const DnsRecordSpec& want = check.expected;
  const std::string publish = "publish MX " + name + " priority " + std::to_string(want.priority.value_or(10)) +
                              " " + want.value;
  MxLookup lookup = resolver.mx(name);
  if (lookup_trouble(check, lookup.status, "MX " + name, lookup.detail)) return;
  std::vector<std::string> found;
  bool ours = false;
  bool null_mx = false;
  for (const MxRecord& mx : lookup.records) {
    found.push_back(std::to_string(mx.preference) + " " + mx.exchange);
    null_mx = null_mx || mx.exchange == "." || mx.exchange.empty();
    ours = ours || host_name(mx.exchange) == host_name(want.value);
  }
  check.found = join(found, ", ");
  if (lookup.status != LookupStatus::ok || found.empty()) {
    return fail_check(check, "missing: no MX record at " + name + "; " + publish);
  }
  if (null_mx) {
    return fail_check(check, name + " has a null MX (\"0 .\"), which says it takes no mail, so receivers reject "
                                    "mail with this return path (550 5.7.27): remove it and " + publish);
  }
  if (!ours) {
    return fail_check(check, "wrong MX at " + name + ": expected " + want.value + ", found " + check.found +
                                 "; " + publish);
  }
  check.status = RecordStatus::verified;
}

// wanted_mechanism - the policy's mechanism, else the first one of the
// expected record that is not "all".
std::string wanted_mechanism(const VerifyPolicy& policy, const DnsRecordSpec& expected) {
  if (!policy.spf_mechanism.empty()) return policy.spf_mechanism;
  Result<SpfRecord> record = parse_spf(expected.value);
  if (record) {
    for (const SpfMechanism& mechanism : record->mechanisms) {
      if (mechanism.kind != SpfMechanismKind::all) return mechanism.text;
    }
  }
  return expected.value;
}

// missing_spf_problem - why no SPF record was seen, noticing values pasted
// with their quotes or with spaces before "v=spf1".
std::string missing_spf_problem(const SpfCheck& spf, const std::string& name) {
  for (const std::string& txt : spf.other_txt) {
    std::string_view inner = trim(txt);
    while (!inner.empty() && (inner.front() == '"' || inner.front() == '\'')) inner.remove_prefix(1);
    if (istarts_with(inner, "v=spf1")) {
      return "the TXT record at " + name + " is not read as SPF because it does not start with v=spf1 (found " +
             quoted(txt) + "; quote marks or spaces were stored as part of the value): ";
    }
  }
  std::string problem = "missing: no SPF record (TXT starting with v=spf1) at " + name;
  if (!spf.other_txt.empty()) problem += " (other TXT records there: " + join(spf.other_txt, " | ") + ")";
  return problem + "; ";
}

void check_spf_txt(Resolver& resolver, RecordCheck& check, const std::string& name, const std::string& mechanism) {
  const std::string publish = "publish TXT " + name + " " + quoted(check.expected.value);
  SpfCheck spf = check_spf(resolver, name, mechanism);
  check.found = join(spf.records.empty() ? spf.other_txt : spf.records, " | ");
  check.warnings = spf.warnings;
  switch (spf.status) {
    case SpfStatus::none:
      return fail_check(check, missing_spf_problem(spf, name) + publish);
    case SpfStatus::temperror:
      check.status = RecordStatus::temporary_failure;
      check.problem = spf.problem;
      return;
    case SpfStatus::permerror:
      if (spf.records.size() > 1) {
        return fail_check(check, spf.problem + "; found " + quoted(join(spf.records, "\" and \"")) +
                                     "; keep a single record that contains " + mechanism + ", e.g. " +
                                     quoted(check.expected.value));
      }
      return fail_check(check, spf.problem);
    case SpfStatus::ok:
      break;
  }
  if (!spf.authorises) {
    return fail_check(check, "the SPF record at " + name + " does not authorise Tern: expected it to contain " +
                                 mechanism + " (directly or through include:), found " + quoted(check.found) +
                                 "; publish " + quoted(spf_with_mechanism(check.found, mechanism)));
  }
  check.status = RecordStatus::verified;
}

std::string key_label(const DkimKeyRecord& key) { return key.key_type == "ed25519" ? "Ed25519" : "RSA"; }

void check_dkim_txt(Resolver& resolver, RecordCheck& check, const std::string& name) {
  const std::string publish = "publish TXT " + name + " " + quoted(check.expected.value) +
                              " (as several strings of at most 255 bytes if your DNS host asks)";
  TxtLookup lookup = resolver.txt(name);
  if (lookup_trouble(check, lookup.status, "TXT " + name, lookup.detail)) return;
  check.found = join(lookup.records, " | ");
  if (lookup.records.empty()) return fail_check(check, "missing: no DKIM key at " + name + "; " + publish);
  if (lookup.records.size() > 1) {
    return fail_check(check, std::to_string(lookup.records.size()) + " TXT records at " + name +
                                 "; verifiers need exactly one key record there: keep only ours and " + publish);
  }
  Result<DkimKeyRecord> found = parse_dkim_key(lookup.records.front());
  if (!found) {
    return fail_check(check, "the DKIM record at " + name + " is broken: " + found.error().message + "; " + publish);
  }
  check.warnings = found->warnings;
  if (found->revoked) {
    return fail_check(check, "the DKIM key at " + name + " is revoked (empty p=), so every signature fails; " +
                                 publish);
  }
  Result<DkimKeyRecord> ours = parse_dkim_key(check.expected.value);
  if (!ours || !same_dkim_key(*ours, *found)) {
    const std::string expected = ours ? key_label(*ours) + " key " + dkim_key_fingerprint(*ours) : "our key";
    return fail_check(check, "the published key does not match ours: found an " + key_label(*found) + " key " +
                                 dkim_key_fingerprint(*found) + " (p=" + shorten(found->public_key_base64, 40) +
                                 "), expected the " + expected + " (p=" +
                                 (ours ? shorten(ours->public_key_base64, 40) : std::string("?")) + "); " + publish);
  }
  check.status = RecordStatus::verified;
}

void check_plain_txt(Resolver& resolver, RecordCheck& check, const std::string& name) {
  TxtLookup lookup = resolver.txt(name);
  if (lookup_trouble(check, lookup.status, "TXT " + name, lookup.detail)) return;
  check.found = join(lookup.records, " | ");
  if (std::find(lookup.records.begin(), lookup.records.end(), check.expected.value) != lookup.records.end()) {
    check.status = RecordStatus::verified;
    return;
  }
  fail_check(check, (lookup.records.empty() ? "missing: no TXT record at " + name
                                            : "wrong TXT at " + name + ": found " + quoted(check.found)) +
                        "; expected " + quoted(check.expected.value));
}

// dmarc_names - _dmarc.<domain> then _dmarc.<parent> down to two labels.
std::vector<std::string> dmarc_names(const std::string& domain) {
  std::vector<std::string> names;
  std::string_view current = domain;
  while (true) {
    names.push_back("_dmarc." + std::string(current));
    const std::size_t dot = current.find('.');
    if (dot == std::string_view::npos || current.find('.', dot + 1) == std::string_view::npos) return names;
    current.remove_prefix(dot + 1);
  }
}

// judge_dmarc - the verdict on the DMARC candidates found at name.
void judge_dmarc(RecordCheck& check, const std::vector<std::string>& candidates, const std::string& name,
                 const std::string& spf_domain) {
  const std::string publish = "publish TXT " + name + " " + quoted(check.expected.value);
  check.found = join(candidates, " | ");
  if (candidates.size() > 1) {
    return fail_check(check, std::to_string(candidates.size()) + " DMARC records at " + name +
                                 ": with more than one, receivers apply no policy at all; keep one, e.g. " + publish);
  }
  Result<DmarcRecord> record = parse_dmarc(candidates.front());
  if (!record) {
    return fail_check(check, "the DMARC record at " + name + " is invalid, so receivers ignore it: " +
                                 record.error().message + "; for example " + publish);
  }
  check.warnings = record->warnings;
  if (record->aspf == 's') {
    check.warnings.push_back("aspf=s: Tern's return path " + spf_domain +
                             " only aligns under relaxed SPF alignment; DMARC still passes through DKIM");
  }
  check.status = RecordStatus::verified;
}

RecordCheck check_record(Resolver& resolver, const std::string& domain, const DnsRecordSpec& expected,
                         const VerifyPolicy& policy) {
  RecordCheck check;
  check.expected = expected;
  const std::string name = fqdn(expected.name, domain);
  const std::string type = ascii_lower(expected.type);
  if (type == "mx") {
    check_mx(resolver, check, name);
  } else if (type == "txt" && is_spf_record(expected.value)) {
    check_spf_txt(resolver, check, name, wanted_mechanism(policy, expected));
  } else if (type == "txt" && expected.record == "DKIM") {
    check_dkim_txt(resolver, check, name);
  } else if (type == "txt") {
    check_plain_txt(resolver, check, name);
  } else {
    fail_check(check, "Tern cannot check " + expected.type + " records (" + name + ")");
  }
  return check;
}

}  // namespace

RecordCheck check_dmarc_advice(Resolver& resolver, const std::string& domain, const std::string& return_path) {
  RecordCheck check;
  check.expected = dmarc_advice(domain);
  const std::vector<std::string> names = dmarc_names(domain);
  for (const std::string& name : names) {
    TxtLookup lookup = resolver.txt(name);
    if (lookup_trouble(check, lookup.status, "TXT " + name, lookup.detail)) {
      check.problem += " (DMARC is advice: it does not hold up the domain)";
      return check;
    }
    std::vector<std::string> candidates;
    for (const std::string& txt : lookup.records) {
      if (is_dmarc_record(txt) || istarts_with(trim(txt), "v=dmarc")) candidates.push_back(txt);
    }
    if (candidates.empty()) continue;
    judge_dmarc(check, candidates, name, fqdn(return_path, domain));
    if (name != names.front()) {
      check.warnings.push_back("no record at " + names.front() + "; the policy of " + name + " applies");
    }
    return check;
  }
  fail_check(check, "no DMARC record at " + names.front() + "; publish TXT " + names.front() + " " +
                        quoted(check.expected.value) +
                        " (p=none monitors without affecting delivery; tighten to quarantine or reject later)");
  return check;
}

const char* to_string(RecordStatus status) {
  switch (status) {
    case RecordStatus::not_started: return "not_started";
    case RecordStatus::pending: return "pending";
    case RecordStatus::verified: return "verified";
    case RecordStatus::failed: return "failed";
    case RecordStatus::temporary_failure: return "temporary_failure";
  }
  return "unknown";
}

bool DomainCheck::all_verified() const {
  return !records.empty() && std::all_of(records.begin(), records.end(), [](const RecordCheck& check) {
    return check.status == RecordStatus::verified;
  });
}

bool DomainCheck::any_temporary() const {
  return std::any_of(records.begin(), records.end(), [](const RecordCheck& check) {
    return check.status == RecordStatus::temporary_failure;
  });
}

DomainCheck verify_domain(Resolver& resolver, const std::string& domain, const std::vector<DnsRecordSpec>& expected,
                          const VerifyPolicy& policy) {
  DomainCheck result;
  std::string return_path = "send";
  for (const DnsRecordSpec& spec : expected) {
    if (spec.record == "SPF") return_path = spec.name;
    result.records.push_back(check_record(resolver, domain, spec, policy));
  }
  result.dmarc = check_dmarc_advice(resolver, domain, return_path);
  return result;
}

}  // namespace tern::dns
