// domain_records.hpp - the DNS records a customer publishes so Tern's mail
// from their domain passes SPF, DKIM and DMARC (pure, no I/O).
//
// Names are relative to the domain, as in Resend's `records` array:
//   SPF  MX  send                 feedback-smtp.<TERN_HOSTNAME>  priority 10
//   SPF  TXT send                 v=spf1 <mechanism> ~all
//   DKIM TXT <selector>._domainkey  v=DKIM1; k=rsa; p=...  (one per key)
// DMARC is advice beside the records (Resend's strict SDKs reject unknown
// record kinds), never inside them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tern::dns {

struct DnsRecordSpec {
  std::string record;  // "SPF" or "DKIM" (Resend's enum), "DMARC" only for the advice
  std::string name;    // relative to the domain: "send", "resend._domainkey", "_dmarc"
  std::string type;    // "MX" or "TXT"
  std::string value;   // the full value to publish (TXT unquoted, may exceed 255 bytes)
  std::optional<int> priority;  // MX only
  std::string ttl = "Auto";
};

struct DkimPublication {
  std::string selector;   // e.g. "tern" or "tern-ed"
  std::string key_type;   // "rsa" or "ed25519"
  std::string public_key; // p= value, base64
};

struct DomainRecordInput {
  std::string domain;               // example.com
  std::string return_path = "send"; // custom_return_path
  std::string feedback_host;        // feedback-smtp.<TERN_HOSTNAME>
  std::string spf_mechanism;        // what authorises Tern's sending hosts, e.g. "a:mail.tern.example"
  std::vector<DkimPublication> dkim;
};

std::vector<DnsRecordSpec> records_to_publish(const DomainRecordInput& input);

// dmarc_advice - the recommended _dmarc record (p=none to start, relaxed alignment).
DnsRecordSpec dmarc_advice(const std::string& domain);

// dkim_txt_value - "v=DKIM1; k=<type>; p=<key>".
std::string dkim_txt_value(const DkimPublication& key);

// split_txt - a TXT value as character-strings of at most 255 bytes, for
// zone files and DNS servers that need them split (read back joined).
std::vector<std::string> split_txt(const std::string& value);

}  // namespace tern::dns
