// capabilities.hpp - the ESMTP extensions a server offers in its EHLO reply.
//
// parse_capabilities reads a positive EHLO reply: the first line is the
// server's greeting text and is skipped; every later line is "KEYWORD
// [params]" (RFC 5321 §4.1.1.1), matched case-insensitively. Unknown keywords
// are ignored. Never fails: a malformed parameter just leaves its field unset.
// After STARTTLS the old capabilities must be dropped and parsed again from
// the new EHLO (RFC 3207 §4.2).
//
// Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mailer/smtp/reply.hpp"

namespace tern::smtp {

struct Capabilities {
  bool esmtp = false;                  // the EHLO was accepted (false after a HELO fallback)
  bool starttls = false;               // RFC 3207
  bool pipelining = false;             // RFC 2920
  bool eightbitmime = false;           // RFC 6152
  bool smtputf8 = false;               // RFC 6531
  bool enhanced_status_codes = false;  // RFC 2034
  bool chunking = false;               // RFC 3030
  bool dsn = false;                    // RFC 3461
  std::optional<uint64_t> size_limit;  // RFC 1870 "SIZE n"; 0 means "no fixed limit"
  std::vector<std::string> auth_mechanisms;  // upper case, from "AUTH a b" and "AUTH=a b"
};

Capabilities parse_capabilities(const Reply& ehlo_reply);

}  // namespace tern::smtp
