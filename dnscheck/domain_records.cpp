// domain_records.cpp - what a customer publishes for a domain (pure).
//
// Order follows the header: the return-path MX, the return-path SPF TXT,
// then one DKIM TXT per key. DMARC is advice and is built separately.
// The advice is p=none (monitor first: a wrong record then costs nothing)
// with relaxed alignment spelled out, because Tern's envelope sender lives
// on send.<domain>: SPF only aligns with the From domain under aspf=r
// (DKIM's d= is the From domain itself and aligns either way).
#include "dnscheck/domain_records.hpp"

namespace tern::dns {
namespace {

constexpr std::size_t kTxtStringMax = 255;  // RFC 1035 §3.3: one length byte

std::string return_path_name(const DomainRecordInput& input) {
  return input.return_path.empty() ? std::string("send") : input.return_path;
}

}  // namespace

std::string dkim_txt_value(const DkimPublication& key) {
  const std::string type = key.key_type.empty() ? std::string("rsa") : key.key_type;
  return "v=DKIM1; k=" + type + "; p=" + key.public_key;
}

std::vector<DnsRecordSpec> records_to_publish(const DomainRecordInput& input) {
  const std::string return_path = return_path_name(input);
  std::vector<DnsRecordSpec> records;

  DnsRecordSpec mx;
  mx.record = "SPF";
  mx.name = return_path;
  mx.type = "MX";
  mx.value = input.feedback_host;
  mx.priority = 10;
  records.push_back(mx);

  DnsRecordSpec spf;
  spf.record = "SPF";
  spf.name = return_path;
  spf.type = "TXT";
  spf.value = "v=spf1 " + input.spf_mechanism + " ~all";
  records.push_back(spf);

  for (const DkimPublication& key : input.dkim) {
    DnsRecordSpec dkim;
    dkim.record = "DKIM";
    dkim.name = key.selector + "._domainkey";
    dkim.type = "TXT";
    dkim.value = dkim_txt_value(key);
    records.push_back(dkim);
  }
  return records;
}

// The domain is not needed: names are relative, and no rua= address is
// invented for it (reports go to a mailbox the customer must choose).
DnsRecordSpec dmarc_advice(const std::string& /*domain*/) {
  DnsRecordSpec dmarc;
  dmarc.record = "DMARC";
  dmarc.name = "_dmarc";
  dmarc.type = "TXT";
  dmarc.value = "v=DMARC1; p=none; adkim=r; aspf=r;";
  return dmarc;
}

std::vector<std::string> split_txt(const std::string& value) {
  std::vector<std::string> strings;
  for (std::size_t start = 0; start < value.size(); start += kTxtStringMax) {
    strings.push_back(value.substr(start, kTxtStringMax));
  }
  if (strings.empty()) strings.emplace_back();  // a TXT record holds at least one (empty) string
  return strings;
}

}  // namespace tern::dns
