// spf.hpp - SPF records (RFC 7208): a pure parser and a checker that walks
// include:/redirect= through a Resolver to tell whether a record is valid
// and authorises Tern.
//
// parse_spf: bytes in, terms out. Any syntax error (RFC 7208 §12 ABNF:
// unknown mechanism, bad domain-spec or macro, bad CIDR, repeated
// redirect=/exp=, a qualifier on a modifier) is an invalid_argument Error
// whose message is the permerror reason.
//
// check_spf: the checker asks DNS like an evaluator would for a sender that
// matches nothing (the worst case), so it counts every DNS-lookup term that
// could be evaluated (include a mx ptr exists redirect; terms after "all"
// are never evaluated). Verdicts are values:
//   none       no v=spf1 record at the name
//   permerror  several v=spf1 records on one name, a syntax error, an
//              include:/redirect= target without SPF, an include loop, more
//              than 10 lookup terms, more than 2 void lookups, an mx with
//              more than 10 hosts
//   temperror  a DNS timeout/SERVFAIL on the way (retry; never "invalid")
//   ok         valid; `authorises` says whether the wanted mechanism is
//              reached with a pass qualifier, directly or through includes
// Warnings (never errors): +all/?all, ptr, no all/redirect at the end,
// terms after all, includes with macros that cannot be followed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dnscheck/resolver.hpp"
#include "store/util/result.hpp"

namespace tern::dns {

inline constexpr int kSpfMaxLookups = 10;     // RFC 7208 §4.6.4
inline constexpr int kSpfMaxVoidLookups = 2;  // RFC 7208 §4.6.4
inline constexpr int kSpfMaxMxHosts = 10;     // RFC 7208 §4.6.4

enum class SpfQualifier { pass, fail, softfail, neutral };  // + - ~ ?
enum class SpfMechanismKind { all, include, a, mx, ptr, ip4, ip6, exists };
const char* to_string(SpfMechanismKind kind);

struct SpfMechanism {
  SpfQualifier qualifier = SpfQualifier::pass;
  SpfMechanismKind kind = SpfMechanismKind::all;
  std::string target;  // domain-spec or network as written; empty when absent
  std::string cidr;    // "/24", "//64", "/24//64" as written; empty when absent
  std::string text;    // the term as written, without its qualifier
  bool counts_lookup() const;  // include a mx ptr exists
};

struct SpfRecord {
  std::vector<SpfMechanism> mechanisms;  // in evaluation order
  std::optional<std::string> redirect;
  std::optional<std::string> exp;
  std::vector<std::pair<std::string, std::string>> other_modifiers;  // unknown ones, ignored by evaluators
};

// is_spf_record - starts with "v=spf1" (any case) followed by a space or the
// end. "v=spf10" is not SPF.
bool is_spf_record(std::string_view txt);
// spf_records - the TXT strings at a name that are SPF records.
std::vector<std::string> spf_records(const std::vector<std::string>& txt);
Result<SpfRecord> parse_spf(std::string_view txt);

// spf_mechanism_matches - textual, case-insensitive, ignoring a "+"
// qualifier in `wanted` and a trailing dot on the target.
bool spf_mechanism_matches(const SpfMechanism& mechanism, std::string_view wanted);
// spf_with_mechanism - `record` with `mechanism` added before its "all" or
// redirect=, for "publish this instead" advice. "v=spf1 <mechanism> ~all"
// when record is not SPF.
std::string spf_with_mechanism(std::string_view record, std::string_view mechanism);

enum class SpfStatus { ok, none, permerror, temperror };
const char* to_string(SpfStatus status);

struct SpfCheck {
  SpfStatus status = SpfStatus::none;
  std::vector<std::string> records;  // the v=spf1 records at the checked name
  std::vector<std::string> other_txt;  // the other TXT records there (to spot quoted or mangled SPF)
  bool authorises = false;           // meaningful when status is ok
  int lookups = 0;                   // DNS-lookup terms counted (at least, if capped)
  int void_lookups = 0;
  std::string problem;  // why not ok, and how to fix it; empty when ok
  std::vector<std::string> warnings;
};

// check_spf - the SPF record at `domain`, walked through `resolver`.
// `mechanism` is what must authorise Tern ("include:_spf.tern.example").
SpfCheck check_spf(Resolver& resolver, std::string_view domain, std::string_view mechanism);

}  // namespace tern::dns
