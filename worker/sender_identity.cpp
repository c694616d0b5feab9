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

namespace {

std::string return_path_domain(const store::Domain& domain) {
  return (domain.custom_return_path.empty() ? "send" : domain.custom_return_path) + "." + domain.name;
}

}  // namespace

Result<SenderIdentity> identity_for_domain(const store::Domain& domain, const SecretBox& box,
                                           std::string_view email_id) {
  SenderIdentity id;
  id.envelope_from = verp_address(email_id, return_path_domain(domain));
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

DomainSenderIdentities::DomainSenderIdentities(store::DomainStore& domains, std::string master_key,
                                               std::chrono::milliseconds ttl)
    : domains_(domains), box_(master_key), ttl_(ttl) {}

Result<std::shared_ptr<const DomainSenderIdentities::Cached>> DomainSenderIdentities::lookup(
    const std::string& team, const std::string& domain_name) {
  const auto now = std::chrono::steady_clock::now();
  const auto key = std::make_pair(team, domain_name);
  {
    std::lock_guard lock(mutex_);
    auto hit = cache_.find(key);
    if (hit != cache_.end() && now - hit->second->fetched < ttl_) return hit->second;
  }
  auto domain = domains_.find_by_name(team, domain_name);
  if (!domain) return tl::unexpected(domain.error());
  auto fresh = std::make_shared<Cached>();
  fresh->fetched = now;
  if (domain->has_value()) {
    auto base = identity_for_domain(**domain, box_, "");
    if (!base) return tl::unexpected(base.error());
    fresh->base = std::move(*base);
    fresh->return_path_domain = return_path_domain(**domain);
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[key] = fresh;
  return fresh;
}

Result<SenderIdentity> DomainSenderIdentities::identity(const store::EmailContent& content) {
  auto from = mailer::parse_mailbox(content.from);
  if (!from) return tl::unexpected(from.error());
  std::string domain_name(from->domain());
  std::transform(domain_name.begin(), domain_name.end(), domain_name.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  auto cached = lookup(content.team, domain_name);
  if (!cached) return tl::unexpected(cached.error());
  if (!(*cached)->base) {
    // Dev mode (or a domain deleted after acceptance): send unsigned as From.
    SenderIdentity plain;
    plain.envelope_from = from->address;
    return plain;
  }
  SenderIdentity id = *(*cached)->base;
  id.envelope_from = verp_address(content.id, (*cached)->return_path_domain);
  return id;
}

}  // namespace tern::worker
