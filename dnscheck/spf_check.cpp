// spf_check.cpp - check_spf: walk an SPF record and everything it pulls in.
//
// The walk evaluates as RFC 7208 §4.6 would for a sender that matches no
// mechanism, which is the case that costs the most lookups: every term up
// to "all" in order, include: targets recursively, then redirect= when the
// record has no "all". It counts lookup terms (§4.6.4: include a mx ptr
// exists redirect) and void lookups (NXDOMAIN or no answer) for a, mx,
// exists and include targets. ptr and terms with macros cannot be resolved
// without a message, so they are counted but not looked up.
//
// Once the 11th lookup term is met the verdict is permerror, but the walk
// goes on (up to kMaxFetches records) only to count, so the message can say
// how many lookups the record needs. A name met again on the include chain
// is a loop: permerror. The first error ends the walk.
#include <algorithm>

#include "dnscheck/spf.hpp"
#include "dnscheck/tag_list.hpp"

namespace tern::dns {
namespace {

constexpr int kMaxFetches = 40;  // records fetched while counting past the limit

struct Walk {
  Resolver& resolver;
  std::string top;  // the name checked
  std::string wanted;
  SpfCheck result;
  std::vector<std::string> chain;  // lower-cased names being evaluated, outermost first
  std::vector<std::string> lookup_terms;  // where each lookup term was met, for the message
  int fetches = 0;
  bool over_limit = false;
  bool capped = false;
  bool stopped = false;

  void permerror(std::string why) {
    if (!over_limit && !stopped) {
      result.status = SpfStatus::permerror;
      result.problem = std::move(why);
    }
    stopped = true;
  }
  void temperror(std::string why) {
    if (!over_limit && !stopped) {
      result.status = SpfStatus::temperror;
      result.problem = std::move(why);
    }
    stopped = true;
  }
  void warn(std::string text) {
    if (std::find(result.warnings.begin(), result.warnings.end(), text) == result.warnings.end()) {
      result.warnings.push_back(std::move(text));
    }
  }
};

bool has_macro(std::string_view spec) { return spec.find('%') != std::string_view::npos; }

std::string chain_text(const std::vector<std::string>& chain, const std::string& last) {
  std::string out;
  for (const std::string& name : chain) out += name + " -> ";
  return out + last;
}

void count_lookup(Walk& walk, const std::string& domain, const std::string& term) {
  ++walk.result.lookups;
  walk.lookup_terms.push_back(term + " (in " + domain + ")");
  if (walk.result.lookups > kSpfMaxLookups) walk.over_limit = true;
}

void count_void(Walk& walk, const std::string& what) {
  if (++walk.result.void_lookups > kSpfMaxVoidLookups) {
    walk.permerror("more than " + std::to_string(kSpfMaxVoidLookups) + " lookups found nothing (the last: " + what +
                   "); RFC 7208 §4.6.4 makes a third void lookup a permerror: remove terms naming hosts that do "
                   "not exist");
  }
}

bool temporary(LookupStatus status) { return status == LookupStatus::temporary || status == LookupStatus::error; }

// resolve_host_term - a, mx, exists: ask DNS only to count void lookups
// and catch temporary trouble; the answer itself is not needed.
void resolve_host_term(Walk& walk, const SpfMechanism& mechanism, const std::string& domain) {
  if (walk.over_limit || mechanism.kind == SpfMechanismKind::ptr) return;
  const std::string target = mechanism.target.empty() ? domain : mechanism.target;
  if (has_macro(target)) return;
  LookupStatus status;
  std::string detail;
  std::size_t mx_hosts = 0;
  if (mechanism.kind == SpfMechanismKind::mx) {
    MxLookup lookup = walk.resolver.mx(target);
    status = lookup.status;
    detail = lookup.detail;
    mx_hosts = lookup.records.size();
  } else {
    AddressLookup lookup = walk.resolver.addresses(target);
    status = lookup.status;
    detail = lookup.detail;
  }
  if (temporary(status)) {
    walk.temperror("the lookup for \"" + mechanism.text + "\" in " + domain + " failed temporarily (" + detail +
                   "); receivers get temperror until it answers: retry later");
  } else if (status == LookupStatus::nxdomain || status == LookupStatus::nodata) {
    count_void(walk, mechanism.text);
  } else if (mx_hosts > static_cast<std::size_t>(kSpfMaxMxHosts)) {
    walk.permerror("\"" + mechanism.text + "\" in " + domain + " has " + std::to_string(mx_hosts) +
                   " MX hosts; SPF allows at most 10 (RFC 7208 §4.6.4): use ip4:/ip6: instead");
  }
}

void walk_domain(Walk& walk, const std::string& domain, const std::string& via, bool pass_path);

void walk_terms(Walk& walk, const std::string& domain, const SpfRecord& record, bool pass_path) {
  bool saw_all = false;
  for (std::size_t i = 0; i < record.mechanisms.size() && !walk.stopped; ++i) {
    const SpfMechanism& mechanism = record.mechanisms[i];
    if (mechanism.kind == SpfMechanismKind::all) {
      saw_all = true;
      if (mechanism.qualifier == SpfQualifier::pass || mechanism.qualifier == SpfQualifier::neutral) {
        walk.warn(std::string(mechanism.qualifier == SpfQualifier::pass ? "+all" : "?all") + " in " + domain +
                  " lets any host on the internet send as this domain: end with ~all or -all");
      }
      if (i + 1 < record.mechanisms.size()) walk.warn("terms after \"all\" in " + domain + " are never evaluated");
      break;
    }
    if (pass_path && spf_mechanism_matches(mechanism, walk.wanted)) walk.result.authorises = true;
    if (!mechanism.counts_lookup()) continue;
    count_lookup(walk, domain, mechanism.text);
    if (mechanism.kind == SpfMechanismKind::ptr) {
      walk.warn("ptr in " + domain + " is slow and unreliable (RFC 7208 §5.5): use ip4:, ip6: or a: instead");
    } else if (mechanism.kind == SpfMechanismKind::include) {
      if (has_macro(mechanism.target)) {
        walk.warn("\"" + mechanism.text + "\" uses macros and cannot be followed without a message");
      } else {
        walk_domain(walk, mechanism.target, mechanism.text,
                    pass_path && mechanism.qualifier == SpfQualifier::pass);
      }
    } else {
      resolve_host_term(walk, mechanism, domain);
    }
  }
  if (saw_all || walk.stopped) return;
  if (record.redirect) {
    count_lookup(walk, domain, "redirect=" + *record.redirect);
    if (!has_macro(*record.redirect)) walk_domain(walk, *record.redirect, "redirect=" + *record.redirect, pass_path);
  } else if (walk.chain.size() == 1) {
    walk.warn("the record at " + domain + " ends without ~all or -all, so unlisted hosts get neutral");
  }
}

// fetch_record - the one SPF record at domain, or nullopt after reporting
// why there is none usable.
std::optional<SpfRecord> fetch_record(Walk& walk, const std::string& domain, const std::string& via) {
  const bool top = via.empty();
  TxtLookup lookup = walk.resolver.txt(domain);
  if (temporary(lookup.status)) {
    walk.temperror("the TXT lookup for " + domain + " failed temporarily (" + lookup.detail +
                   "); receivers get temperror until it answers: retry later");
    return std::nullopt;
  }
  std::vector<std::string> records = spf_records(lookup.records);
  if (top) {
    walk.result.records = records;
    for (const std::string& txt : lookup.records) {
      if (!is_spf_record(txt)) walk.result.other_txt.push_back(txt);
    }
  }
  if (records.empty()) {
    if (top) {
      walk.stopped = true;  // status none: the caller says what to publish
      return std::nullopt;
    }
    if (lookup.status != LookupStatus::ok) count_void(walk, via);
    walk.permerror("\"" + via + "\" points at " + domain +
                   ", which has no SPF record; receivers return permerror (RFC 7208 §5.2): fix or remove it");
    return std::nullopt;
  }
  if (records.size() > 1) {
    walk.permerror(std::to_string(records.size()) + " SPF records at " + domain +
                   "; more than one is a permerror even when they are identical (RFC 7208 §4.5): merge them into "
                   "one record");
    return std::nullopt;
  }
  Result<SpfRecord> parsed = parse_spf(records.front());
  if (!parsed) {
    walk.permerror("the SPF record at " + domain + " is invalid: " + parsed.error().message + " (permerror)");
    return std::nullopt;
  }
  return std::move(*parsed);
}

void walk_domain(Walk& walk, const std::string& domain, const std::string& via, bool pass_path) {
  if (walk.stopped) return;
  const std::string name = ascii_lower(domain);
  if (std::find(walk.chain.begin(), walk.chain.end(), name) != walk.chain.end()) {
    walk.permerror("include loop: " + chain_text(walk.chain, name) + " (permerror): remove the include that points back");
    return;
  }
  if (++walk.fetches > kMaxFetches) {
    walk.capped = true;
    walk.stopped = true;
    return;
  }
  std::optional<SpfRecord> record = fetch_record(walk, domain, via);
  if (!record) return;
  walk.chain.push_back(name);
  walk_terms(walk, domain, *record, pass_path);
  walk.chain.pop_back();
}

std::string limit_problem(const Walk& walk) {
  std::string terms;
  for (std::size_t i = 0; i < walk.lookup_terms.size() && i < 12; ++i) {
    terms += (i ? ", " : "") + walk.lookup_terms[i];
  }
  if (walk.lookup_terms.size() > 12) terms += ", ...";
  return "the SPF record at " + walk.top + " needs " + (walk.capped ? "at least " : "") + std::to_string(walk.result.lookups) +
         " DNS lookups, the limit is " + std::to_string(kSpfMaxLookups) +
         " (RFC 7208 §4.6.4), so receivers return permerror. Lookups: " + terms +
         ". Replace includes you do not need, or use ip4:/ip6: instead of a/mx";
}

}  // namespace

SpfCheck check_spf(Resolver& resolver, std::string_view domain, std::string_view mechanism) {
  Walk walk{resolver, std::string(domain), std::string(mechanism), SpfCheck{}, {}, {}, 0, false, false, false};
  walk.result.status = SpfStatus::ok;
  walk_domain(walk, std::string(domain), "", true);
  if (walk.over_limit) {
    walk.result.status = SpfStatus::permerror;
    walk.result.problem = limit_problem(walk);
  } else if (walk.result.status == SpfStatus::ok && walk.result.records.empty()) {
    walk.result.status = SpfStatus::none;
    walk.result.problem = "no SPF record (TXT starting with v=spf1) at " + std::string(domain);
  }
  if (walk.result.status != SpfStatus::ok) walk.result.authorises = false;
  return walk.result;
}

}  // namespace tern::dns
