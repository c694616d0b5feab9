// spf_check_fuzz.cpp - libFuzzer target for dns::check_spf, the walk through
// include:/redirect= and mx, against a hostile DNS zone.
//
// The input is a zone, one entry a line: "<name> <TXT record>" or
// "<name> MX <host> ...". A name starting with "fail" answers temporary
// (SERVFAIL); a name not listed answers nxdomain. Invariants: the walk ends
// and asks DNS a bounded number of times whatever loops or fan-out the zone
// holds; ok means no problem text and at most 10 lookups; anything else
// carries a problem text.
#include <map>
#include <string>
#include <vector>

#include "dnscheck/spf.hpp"
#include "dnscheck/tag_list.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace dns = tern::dns;

class ZoneResolver : public dns::Resolver {
 public:
  explicit ZoneResolver(std::string_view zone) {
    for (const std::string& line : dns::split(zone, '\n')) {
      const std::size_t space = line.find(' ');
      if (space == std::string::npos) continue;
      const std::string name = dns::ascii_lower(line.substr(0, space));
      const std::string rest = line.substr(space + 1);
      if (rest.rfind("MX ", 0) == 0) {
        for (const std::string& host : dns::split(rest.substr(3), ' ')) mx_[name].push_back(host);
      } else {
        txt_[name].push_back(rest);
      }
    }
  }

  dns::MxLookup mx(std::string_view domain) override {
    ++queries;
    dns::MxLookup out;
    out.status = status_of(domain, mx_.count(key(domain)) > 0);
    if (out.status == dns::LookupStatus::ok) {
      uint16_t preference = 0;
      for (const auto& host : mx_[key(domain)]) out.records.push_back({preference++, host});
    }
    return out;
  }

  dns::AddressLookup addresses(std::string_view host) override {
    ++queries;
    dns::AddressLookup out;
    out.status = status_of(host, true);
    if (out.status == dns::LookupStatus::ok) out.addresses = {"192.0.2.1"};
    return out;
  }

  dns::TxtLookup txt(std::string_view name) override {
    ++queries;
    dns::TxtLookup out;
    out.status = status_of(name, txt_.count(key(name)) > 0);
    if (out.status == dns::LookupStatus::ok) out.records = txt_[key(name)];
    return out;
  }

  int queries = 0;

 private:
  static std::string key(std::string_view name) { return dns::ascii_lower(name); }
  static dns::LookupStatus status_of(std::string_view name, bool listed) {
    if (dns::istarts_with(name, "fail")) return dns::LookupStatus::temporary;
    return listed ? dns::LookupStatus::ok : dns::LookupStatus::nxdomain;
  }

  std::map<std::string, std::vector<std::string>> txt_;
  std::map<std::string, std::vector<std::string>> mx_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // a zone, not a novel: keeps each run fast
  ZoneResolver resolver(tern::fuzz::as_view(data, size));
  const dns::SpfCheck check = dns::check_spf(resolver, "example.com", "include:_spf.tern.example");
  // 10 lookup terms, each an include (1 TXT) or an mx (1 MX + 10 hosts),
  // plus the record itself and a redirect chain: far below 200.
  FUZZ_CHECK(resolver.queries <= 200, "unbounded DNS queries");
  if (check.status == dns::SpfStatus::ok) {
    FUZZ_CHECK(check.problem.empty(), "ok with a problem text");
    FUZZ_CHECK(check.lookups <= dns::kSpfMaxLookups, "ok with more than 10 lookups");
    FUZZ_CHECK(check.void_lookups <= dns::kSpfMaxVoidLookups, "ok with more than 2 void lookups");
  } else {
    FUZZ_CHECK(!check.problem.empty(), "a failed check without a problem text");
    FUZZ_CHECK(!check.authorises || check.status == dns::SpfStatus::ok, "authorises without ok");
  }
  return 0;
}
