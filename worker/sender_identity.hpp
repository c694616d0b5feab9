// sender_identity.hpp - who an email is sent as: the envelope sender (on the
// domain's return-path subdomain, so SPF and DMARC align), the DKIM keys to
// sign with, and the TLS policy the sending domain asked for.
//
// Looked up from the team's verified domain. In dev mode an unknown domain
// sends unsigned, with the From address as envelope sender. A domain whose
// keys cannot be opened (wrong TERN_MASTER_KEY) is an error: the email is
// deferred rather than sent unsigned.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mailer/dkim/signer.hpp"
#include "mailer/dkim/signing_key.hpp"
#include "mailer/smtp/client.hpp"
#include "store/redis/domain_store.hpp"
#include "store/redis/email_record.hpp"
#include "store/util/secret_box.hpp"
#include "worker/verp.hpp"

namespace tern::worker {

struct SenderIdentity {
  std::string envelope_from;  // bounces+<email id>@<return path>.<domain>, or the From address
  smtp::TlsMode tls = smtp::TlsMode::opportunistic;
  std::string dkim_domain;
  std::vector<std::pair<std::string, std::shared_ptr<const dkim::SigningKey>>> keys;  // selector, key

  std::vector<dkim::SignerConfig> signer_configs() const;
};

// identity_for_domain - pure: build the identity from a stored domain (keys
// opened with box). Errc::internal when a key does not open or parse.
Result<SenderIdentity> identity_for_domain(const store::Domain& domain, const SecretBox& box,
                                           std::string_view email_id);

class SenderIdentities {
 public:
  virtual ~SenderIdentities() = default;
  virtual Result<SenderIdentity> identity(const store::EmailContent& content) = 0;
};

// DomainSenderIdentities - from DomainStore, each team's domain (and its
// opened keys: an RSA PEM parse costs more than the signature) cached for
// `ttl`, so the worker does not read Redis and parse keys per message. A
// change to a domain (TLS mode, deletion, keys) reaches the worker within
// ttl; lookup failures and unopenable keys are never cached.
class DomainSenderIdentities final : public SenderIdentities {
 public:
  DomainSenderIdentities(store::DomainStore& domains, std::string master_key,
                         std::chrono::milliseconds ttl = std::chrono::seconds(10));
  Result<SenderIdentity> identity(const store::EmailContent& content) override;

 private:
  struct Cached {
    std::chrono::steady_clock::time_point fetched;
    std::optional<SenderIdentity> base;  // nullopt: no such domain in the team
    std::string return_path_domain;
  };
  Result<std::shared_ptr<const Cached>> lookup(const std::string& team, const std::string& domain_name);

  store::DomainStore& domains_;
  SecretBox box_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Cached>> cache_;  // (team, domain)
};

}  // namespace tern::worker
