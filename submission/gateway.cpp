// gateway.cpp - the submission session's view of keys, senders and the queue.
#include "submission/gateway.hpp"

#include "api/emails_routes.hpp"
#include "mailer/message.hpp"
#include "mailer/raw_message.hpp"
#include "store/redis/api_key_store.hpp"
#include "store/redis/email_store.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"

namespace tern::submission {
namespace {

constexpr std::string_view kTryLater = "451 4.3.0 Temporary failure, please try again later";

api::RequestContext context_of(const Submitter& who) {
  return api::RequestContext{who.team,
                             who.full_access ? store::Permission::full_access : store::Permission::sending_access,
                             who.key_id, who.domain_id};
}

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

}  // namespace

StoreGateway::StoreGateway(store::RedisPool& pool, const Clock& clock, api::SenderPolicy& senders,
                           std::string hostname, metrics::ServiceMetrics* metrics)
    : pool_(pool), clock_(clock), senders_(senders), metrics_(metrics) {
  options_.hostname = std::move(hostname);
}

Result<std::optional<Submitter>> StoreGateway::authenticate(std::string_view password) {
  store::ApiKeyStore keys(pool_);
  auto key = keys.authenticate(password);
  if (!key) return tl::unexpected(key.error());
  if (!*key) return std::optional<Submitter>();
  const store::ApiKey& found = **key;
  // Both permissions may send (resend-api.md: sending_access is "send only").
  return std::optional<Submitter>(
      Submitter{found.team, found.id, found.permission == store::Permission::full_access, found.domain_id});
}

std::string StoreGateway::check_sender(const Submitter& who, std::string_view domain) {
  const api::RequestContext context = context_of(who);
  api::ApiServices services{pool_, clock_, senders_, options_, nullptr};
  auto allowed = api::key_domain(services, context);
  if (!allowed) return std::string(kTryLater);
  if (!api::check_key_domain(*allowed, domain))
    return "550 5.7.1 This API key may only send from its own domain, not from " + std::string(domain);
  auto verified = api::check_sender(senders_, context, domain);
  if (verified) return {};
  if (verified.error().status >= 500) return std::string(kTryLater);
  return "550 5.7.1 The " + std::string(domain) + " domain is not verified for this team";
}

std::string StoreGateway::accept(const Submitter& who, const std::vector<std::string>& recipients,
                                 std::string message) {
  auto facts = mailer::inspect_raw_message(message);
  if (!facts) return "550 5.6.0 Message refused: " + facts.error().message;
  if (auto refused = check_sender(who, domain_of(facts->from_address)); !refused.empty()) return refused;

  store::EmailContent content;
  content.id = new_uuid();
  content.team = who.team;
  content.from = facts->from;
  content.to = recipients;
  content.subject = facts->subject;
  content.message_id = facts->message_id ? *facts->message_id : mailer::make_message_id(content.id, options_.hostname);
  content.created_at = clock_.now();
  content.raw_mime = std::move(message);
  const store::EmailState state = store::initial_state(content);
  const store::EmailEvent event = api::first_event(content, state);

  store::EmailStore emails(pool_);
  if (auto stored = emails.create(content, state, event); !stored) {
    log::error("storing a submitted email failed",
               {{"email_id", content.id}, {"team", who.team}, {"error", stored.error().message}});
    return std::string(kTryLater);
  }
  if (metrics_) metrics_->emails_accepted.inc();
  log::debug("email accepted over SMTP", {{"email_id", content.id}, {"team", who.team},
                                          {"recipients", std::to_string(state.recipients.size())}});
  return "250 2.0.0 Ok: queued as " + content.id;
}

}  // namespace tern::submission
