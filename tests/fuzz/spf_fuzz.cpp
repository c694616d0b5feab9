// spf_fuzz.cpp - libFuzzer target for dns::parse_spf and the record
// rewriting used for "publish this instead" advice (dnscheck/spf.hpp).
//
// Invariants: only v=spf1 records parse; a parse error is invalid_argument
// with a reason; every mechanism has a kind, its text and a lookup count
// consistent with its kind; spf_with_mechanism of a record that parses
// still parses and now authorises the added include.
#include <string>

#include "dnscheck/spf.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace dns = tern::dns;
constexpr std::string_view kTern = "include:_spf.tern.example";

bool authorises(const dns::SpfRecord& record) {
  for (const auto& mechanism : record.mechanisms) {
    if (dns::spf_mechanism_matches(mechanism, kTern)) return true;
  }
  return false;
}

void check_record(const dns::SpfRecord& record) {
  for (const auto& mechanism : record.mechanisms) {
    using Kind = dns::SpfMechanismKind;
    const Kind kind = mechanism.kind;
    const bool lookup = kind == Kind::include || kind == Kind::a || kind == Kind::mx || kind == Kind::ptr ||
                        kind == Kind::exists;
    FUZZ_CHECK(mechanism.counts_lookup() == lookup, "lookup count does not follow the kind");
    FUZZ_CHECK(!mechanism.text.empty(), "mechanism without text");
    FUZZ_CHECK(std::string_view(dns::to_string(kind)) != "unknown", "mechanism kind without a name");
    FUZZ_CHECK(kind != Kind::include || !mechanism.target.empty(), "include: without a target");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view txt = tern::fuzz::as_view(data, size);
  auto record = dns::parse_spf(txt);
  if (!record) {
    FUZZ_CHECK(record.error().code == tern::Errc::invalid_argument, "parse errors are invalid_argument");
    FUZZ_CHECK(!record.error().message.empty(), "parse error without a reason");
    return 0;
  }
  FUZZ_CHECK(dns::is_spf_record(txt), "a record that is not v=spf1 parsed");
  check_record(*record);
  const std::string advised = dns::spf_with_mechanism(txt, kTern);
  auto with_tern = dns::parse_spf(advised);
  FUZZ_CHECK(with_tern.has_value(), "spf_with_mechanism broke a valid record");
  FUZZ_CHECK(authorises(*with_tern), "spf_with_mechanism did not add the include");
  FUZZ_CHECK(dns::spf_records({std::string(txt)}).size() == 1, "spf_records missed a record");
  return 0;
}
