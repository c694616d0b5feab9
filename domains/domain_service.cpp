// domain_service.cpp - create with key generation and sealing; verify.
#include "domains/domain_service.hpp"

#include "dnscheck/domain_records.hpp"
#include "dnscheck/verify_domain.hpp"
#include "domains/domain_name.hpp"
#include "domains/verification_state.hpp"
#include "mailer/dkim/signing_key.hpp"
#include "store/util/ids.hpp"
#include "store/util/secret_box.hpp"

namespace tern::domains {
namespace {

store::StoredDnsRecord to_stored(const dns::DnsRecordSpec& spec) {
  store::StoredDnsRecord r;
  r.record = spec.record;
  r.name = spec.name;
  r.type = spec.type;
  r.value = spec.value;
  r.priority = spec.priority;
  r.ttl = spec.ttl;
  return r;
}

// checked_request - the request with every field validated and normalised.
Result<CreateDomainRequest> checked_request(CreateDomainRequest request) {
  auto name = normalize_domain_name(request.name);
  if (!name) return tl::unexpected(name.error());
  request.name = *name;
  auto return_path = check_return_path(request.custom_return_path);
  if (!return_path) return tl::unexpected(return_path.error());
  request.custom_return_path = *return_path;
  if (!is_region(request.region))
    return fail(Errc::invalid_argument,
                "The `region` must be one of us-east-1, eu-west-1, sa-east-1, ap-northeast-1.");
  if (!is_tls_mode(request.tls))
    return fail(Errc::invalid_argument, "The `tls` field must be `opportunistic` or `enforced`.");
  return request;
}

}  // namespace

DomainSettings settings_for_host(const std::string& hostname, std::string master_key) {
  DomainSettings s;
  s.master_key = std::move(master_key);
  s.spf_mechanism = "a:" + hostname;
  s.feedback_host = "feedback-smtp." + hostname;
  return s;
}

DomainSettings settings_from_config(const Config& config) {
  DomainSettings s = settings_for_host(config.delivery.hostname, config.master_key);
  if (!config.dkim_selector.empty()) s.dkim_selector = config.dkim_selector;
  if (!config.spf_mechanism.empty()) s.spf_mechanism = config.spf_mechanism;
  if (!config.feedback_host.empty()) s.feedback_host = config.feedback_host;
  return s;
}

DomainService::DomainService(store::RedisPool& pool, dns::Resolver* resolver, DomainSettings settings)
    : store_(pool), resolver_(resolver), settings_(std::move(settings)) {}

Result<std::vector<store::DkimKeyRecord>> DomainService::make_keys(const std::string& domain_id,
                                                                   bool ed25519) const {
  if (settings_.master_key.empty())
    return fail(Errc::internal, "TERN_MASTER_KEY is not set, so DKIM private keys cannot be stored");
  const SecretBox box(settings_.master_key);
  std::vector<store::DkimKeyRecord> keys;
  auto add = [&](dkim::KeyType type, const std::string& selector) -> Result<void> {
    auto key = dkim::SigningKey::generate(type, settings_.rsa_bits);
    if (!key) return tl::unexpected(key.error());
    auto sealed = box.seal(key->private_pem(), domain_id);
    if (!sealed) return tl::unexpected(sealed.error());
    keys.push_back(store::DkimKeyRecord{selector, dkim::to_string(type), key->public_key_base64(), *sealed});
    return {};
  };
  if (auto ok = add(dkim::KeyType::rsa, settings_.dkim_selector); !ok) return tl::unexpected(ok.error());
  if (ed25519)
    if (auto ok = add(dkim::KeyType::ed25519, settings_.dkim_selector + "-ed"); !ok)
      return tl::unexpected(ok.error());
  return keys;
}

Result<store::Domain> DomainService::create(std::string_view team, const CreateDomainRequest& raw, TimePoint now) {
  auto request = checked_request(raw);
  if (!request) return tl::unexpected(request.error());
  store::Domain d;
  d.id = new_uuid();
  d.team = std::string(team);
  d.name = request->name;
  d.region = request->region;
  d.custom_return_path = request->custom_return_path;
  d.tls = request->tls;
  d.open_tracking = request->open_tracking;
  d.click_tracking = request->click_tracking;
  d.created_at = now;
  auto keys = make_keys(d.id, request->dkim_ed25519);
  if (!keys) return tl::unexpected(keys.error());
  d.dkim_keys = std::move(*keys);

  dns::DomainRecordInput input;
  input.domain = d.name;
  input.return_path = d.custom_return_path;
  input.feedback_host = settings_.feedback_host;
  input.spf_mechanism = settings_.spf_mechanism;
  for (const auto& k : d.dkim_keys) input.dkim.push_back(dns::DkimPublication{k.selector, k.key_type, k.public_key});
  for (const auto& spec : dns::records_to_publish(input)) d.records.push_back(to_stored(spec));
  d.dmarc = to_stored(dns::dmarc_advice(d.name));

  if (auto stored = store_.create(d); !stored) return tl::unexpected(stored.error());
  return d;
}

Result<store::Domain> DomainService::verify(std::string_view team, std::string_view id, TimePoint now) {
  return check(team, id, now, true);
}

Result<store::Domain> DomainService::recheck(std::string_view team, std::string_view id, TimePoint now) {
  return check(team, id, now, false);
}

Result<store::Domain> DomainService::check(std::string_view team, std::string_view id, TimePoint now, bool manual) {
  if (!resolver_) return fail(Errc::unavailable, "no DNS resolver is configured for domain verification");
  auto found = store_.get(team, id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(Errc::not_found, "Domain not found.");
  store::Domain d = std::move(**found);
  const std::string status_before = d.status;
  if (manual) start_verification(d, now);

  dns::VerifyPolicy policy;
  policy.spf_mechanism = settings_.spf_mechanism;
  const dns::DomainCheck result = dns::verify_domain(*resolver_, d.name, expected_records(d), policy);
  const bool changed = apply_check(d, result, now) || d.status != status_before;
  if (auto stored = store_.update(d, changed); !stored) return tl::unexpected(stored.error());
  return d;
}

}  // namespace tern::domains
