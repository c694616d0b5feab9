// dmarc.hpp - DMARC policy records at _dmarc.<domain>: a pure parser.
//
// Diagnoses by RFC 9989 (DMARCbis, which obsoletes RFC 7489) and warns about
// what RFC 7489 readers would do differently. Promises:
//   - the record must start with exactly "v=DMARC1" (is_dmarc_record);
//     receivers discard other TXT records at _dmarc;
//   - p, sp, np in none|quarantine|reject; adkim, aspf in r|s; t in y|n;
//     psd in y|n|u; fo a colon list of 0 1 d s; rua/ruf comma lists of
//     mailto: URIs; pct an integer 0-100;
//   - unknown tags are ignored (RFC 9989); a repeated tag is an error;
//   - warnings: no p= (RFC 9989 reads p=none; RFC 7489 receivers ignore the
//     record unless rua= is valid), pct/rf/ri (removed in RFC 9989), "!size"
//     on report URIs (obsolete), t=y (testing).
// Any syntax error is an invalid_argument Error whose message says which
// tag is wrong and why. Several records at one name leave the domain with
// no policy; that is the caller's check (it sees the TXT set).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/util/result.hpp"

namespace tern::dns {

enum class DmarcPolicy { none, quarantine, reject };
const char* to_string(DmarcPolicy policy);

struct DmarcRecord {
  std::optional<DmarcPolicy> p;   // absent: none under RFC 9989
  std::optional<DmarcPolicy> sp;  // subdomains; absent: p
  std::optional<DmarcPolicy> np;  // non-existent subdomains (RFC 9091); absent: sp
  char adkim = 'r';
  char aspf = 'r';
  std::optional<int> pct;         // RFC 7489 only
  bool testing = false;           // t=y
  std::vector<std::string> rua;   // "mailto:..." URIs, any "!size" kept
  std::vector<std::string> ruf;
  std::vector<std::string> warnings;
};

// is_dmarc_record - starts with "v=DMARC1" (whitespace allowed around "=")
// followed by ";", whitespace or the end.
bool is_dmarc_record(std::string_view txt);
Result<DmarcRecord> parse_dmarc(std::string_view txt);

}  // namespace tern::dns
