// domain_service.hpp - what "add a domain" and "verify a domain" mean, for
// every front end: the API routes, `tern domains`, and the worker's
// background re-checker. No HTTP and no terminal here.
//
// create() validates the request (domain_name.hpp), generates the DKIM key
// (RSA-2048, and an Ed25519 key under "<selector>-ed" when asked), seals the
// private halves with SecretBox(master key, AD = domain id), lists the
// records to publish and the DMARC advice, and stores the domain. verify()
// (a customer asked) and recheck() (the schedule says so) look the records
// up over DNS and apply verification_state.hpp.
//
// Errors: Errc::invalid_argument for a bad request (the message is meant for
// the customer), Errc::conflict when the name is registered already (any
// team), Errc::not_found for an unknown id or another team's, Errc::internal
// when no master key is configured or key generation fails, Errc::unavailable
// for Redis trouble or a missing resolver. Private keys never leave sealed.
#pragma once

#include <string>
#include <string_view>

#include "dnscheck/resolver.hpp"
#include "store/redis/domain_store.hpp"
#include "store/util/config.hpp"

namespace tern::domains {

struct DomainSettings {
  std::string master_key;              // TERN_MASTER_KEY; required to create domains
  std::string dkim_selector = "tern";  // s= of the RSA key; Ed25519 uses "<selector>-ed"
  std::string spf_mechanism;           // what authorises Tern's sending hosts, e.g. "a:mail.example.net"
  std::string feedback_host;           // the return-path MX target, feedback-smtp.<TERN_HOSTNAME>
  int rsa_bits = 2048;
};

// settings_for_host - defaults derived from TERN_HOSTNAME: SPF "a:<host>",
// MX "feedback-smtp.<host>", selector "tern".
DomainSettings settings_for_host(const std::string& hostname, std::string master_key);
// settings_from_config - settings_for_host(TERN_HOSTNAME, TERN_MASTER_KEY)
// with TERN_DKIM_SELECTOR, TERN_SPF_MECHANISM and TERN_FEEDBACK_HOST applied.
DomainSettings settings_from_config(const Config& config);

struct CreateDomainRequest {
  std::string name;
  std::string region = "us-east-1";
  std::string custom_return_path = "send";
  std::string tls = "opportunistic";
  bool open_tracking = false;
  bool click_tracking = false;
  bool dkim_ed25519 = false;  // our own extension: also publish an Ed25519 key (RFC 8463)
};

class DomainService {
 public:
  // resolver may be null for a service that only creates and reads.
  DomainService(store::RedisPool& pool, dns::Resolver* resolver, DomainSettings settings);

  Result<store::Domain> create(std::string_view team, const CreateDomainRequest& request, TimePoint now);

  // verify - check now; opens a new 72-hour window unless one is running.
  Result<store::Domain> verify(std::string_view team, std::string_view id, TimePoint now);

  // recheck - a scheduled check inside the running window.
  Result<store::Domain> recheck(std::string_view team, std::string_view id, TimePoint now);

  const DomainSettings& settings() const { return settings_; }

 private:
  Result<store::Domain> check(std::string_view team, std::string_view id, TimePoint now, bool manual);
  Result<std::vector<store::DkimKeyRecord>> make_keys(const std::string& domain_id, bool ed25519) const;

  store::DomainStore store_;
  dns::Resolver* resolver_;
  DomainSettings settings_;
};

}  // namespace tern::domains
