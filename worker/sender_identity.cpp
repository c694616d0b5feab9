#include "worker/sender_identity.hpp"

#include <algorithm>

#include "mailer/address.hpp"

namespace tern::worker {

std::vector<dkim::SignerConfig> SenderIdentity::signer_configs() const {
  std::vector<dkim::SignerConfig> out;
  for (const auto& [selector, key] : keys) {
    dkim::SignerConfig c;
    c.domain = dkim_domain;
    c.selector = selector;
    c.key = key.get();
    out.push_back(std::move(c));
  }
  return out;
}

Result<SenderIdentity> identity_for_domain(const store::Domain& domain, const SecretBox& box,
                                           std::string_view email_id) {
  SenderIdentity id;
  const std::string return_path = domain.custom_return_path.empty() ? "send" : domain.custom_return_path;
  id.envelope_from = verp_address(email_id, return_path + "." + domain.name);
  id.tls = domain.tls == "enforced" ? smtp::TlsMode::enforced : smtp::TlsMode::opportunistic;
  id.dkim_domain = domain.name;
  for (const auto& k : domain.dkim_keys) {
    auto pem = box.open(k.sealed_private_key, domain.id);
    if (!pem)
      return fail(Errc::internal, "DKIM key " + k.selector + " of " + domain.name +
                                      " cannot be opened (is TERN_MASTER_KEY the one it was created with?)");
    auto key = dkim::SigningKey::from_private_pem(*pem);
    if (!key) return fail(Errc::internal, "DKIM key " + k.selector + " of " + domain.name + ": " + key.error().message);
    id.keys.emplace_back(k.selector, std::make_shared<const dkim::SigningKey>(std::move(*key)));
  }
  return id;
}

DomainSenderIdentities::DomainSenderIdentities(store::DomainStore& domains, std::string master_key)
    : domains_(domains), box_(master_key) {}

Result<SenderIdentity> DomainSenderIdentities::identity(const store::EmailContent& content) {
  auto from = mailer::parse_mailbox(content.from);
  if (!from) return tl::unexpected(from.error());
  std::string domain_name(from->domain());
  std::transform(domain_name.begin(), domain_name.end(), domain_name.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  auto domain = domains_.find_by_name(content.team, domain_name);
  if (!domain) return tl::unexpected(domain.error());
  if (!domain->has_value()) {
    // Dev mode (or a domain deleted after acceptance): send unsigned as From.
    SenderIdentity plain;
    plain.envelope_from = from->address;
    return plain;
  }
  const store::Domain& d = **domain;
  std::string cache_key = d.id;
  for (const auto& k : d.dkim_keys) cache_key += "|" + k.sealed_private_key;
  {
    std::lock_guard lock(mutex_);
    auto hit = key_cache_.find(cache_key);
    if (hit != key_cache_.end()) {
      store::Domain without_keys = d;
      without_keys.dkim_keys.clear();
      auto id = identity_for_domain(without_keys, box_, content.id);
      if (id) id->keys = hit->second;
      return id;
    }
  }
  auto id = identity_for_domain(d, box_, content.id);
  if (id) {
    std::lock_guard lock(mutex_);
    if (key_cache_.size() > 10000) key_cache_.clear();
    key_cache_[cache_key] = id->keys;
  }
  return id;
}

}  // namespace tern::worker
