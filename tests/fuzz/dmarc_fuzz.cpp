// dmarc_fuzz.cpp - libFuzzer target for dns::parse_dmarc.
//
// Invariants: only records that is_dmarc_record accepts parse; a parse error
// is invalid_argument with a reason; adkim and aspf are 'r' or 's'; pct is
// 0..100; every rua/ruf entry is a mailto: URI.
#include <string>

#include "dnscheck/dmarc.hpp"
#include "dnscheck/tag_list.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace dns = tern::dns;
  const std::string_view txt = tern::fuzz::as_view(data, size);
  auto record = dns::parse_dmarc(txt);
  if (!record) {
    FUZZ_CHECK(record.error().code == tern::Errc::invalid_argument, "parse errors are invalid_argument");
    FUZZ_CHECK(!record.error().message.empty(), "parse error without a reason");
    return 0;
  }
  FUZZ_CHECK(dns::is_dmarc_record(txt), "a record that is not v=DMARC1 parsed");
  FUZZ_CHECK(record->adkim == 'r' || record->adkim == 's', "adkim out of range");
  FUZZ_CHECK(record->aspf == 'r' || record->aspf == 's', "aspf out of range");
  FUZZ_CHECK(!record->pct || (*record->pct >= 0 && *record->pct <= 100), "pct out of range");
  for (const auto* list : {&record->rua, &record->ruf}) {
    for (const auto& uri : *list) FUZZ_CHECK(dns::istarts_with(uri, "mailto:"), "report URI not mailto:");
  }
  for (auto policy : {record->p, record->sp, record->np}) {
    if (policy) FUZZ_CHECK(std::string_view(dns::to_string(*policy)) != "", "policy without a name");
  }
  return 0;
}
