// dkim_verifier.hpp - independent DKIM verifiers for tests: dkimpy (Debian
// python3-dkim, python3-nacl for Ed25519) run through
// tests/peers/dkim_verify.py with /usr/bin/python3, and Mail::DKIM (Debian
// libmail-dkim-perl, libnet-dns-resolver-mock-perl) through
// tests/peers/dkim_verify_mail_dkim.pl.
//
// dkim_verify promises: true only if the message has a DKIM-Signature and
// every one verifies against txt_records ("sel._domainkey.domain" → the
// TXT value, strings joined); no real DNS is ever asked. output receives
// the script's report (per-signature verdicts, dkimpy's log on failure).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace tern::testing {

// dkimpy_available - /usr/bin/python3 can import dkim and nacl (asked once).
bool dkimpy_available();

bool dkim_verify(const std::string& message, const std::map<std::string, std::string>& txt_records,
                 std::string& output);

// mail_dkim_available - perl can load Mail::DKIM and Net::DNS::Resolver::Mock (asked once).
bool mail_dkim_available();

// dkim_verify_mail_dkim - as dkim_verify, but Mail::DKIM, whose Debian 12
// version has no Ed25519: those signatures are skipped, and true means at
// least one RSA signature was checked and every RSA signature passed. Each
// TXT value is served split into 255-byte strings, as published.
bool dkim_verify_mail_dkim(const std::string& message, const std::map<std::string, std::string>& txt_records,
                           std::string& output);

// spf_verify - pyspf's verdict (tests/peers/spf_check.py, Debian
// python3-spf) on mail from `ip` with envelope sender `mail_from`, asking
// only the DNS server at 127.0.0.1:dns_port. True only for "pass".
bool spf_verify(uint16_t dns_port, const std::string& ip, const std::string& mail_from, const std::string& helo,
                std::string& output);

}  // namespace tern::testing
