#include "worker/delivery.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <map>

#include "dnscheck/mx_policy.hpp"
#include "mailer/dkim/signer.hpp"
#include "store/util/log.hpp"
#include "worker/message_assembly.hpp"
#include "worker/outcome.hpp"
#include "worker/retry_schedule.hpp"

namespace tern::worker {
namespace {

constexpr std::size_t kMaxAddressesPerAttempt = 5;  // as Postfix smtp_mx_address_limit
constexpr auto kThrottleRetry = std::chrono::seconds(2);  // a busy destination is asked again this soon

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  std::string d = at == std::string::npos ? std::string() : address.substr(at + 1);
  std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return d;
}

// route_for - the relay when configured, else the domain's MX route.
dns::Route route_for(const std::string& domain, DeliveryContext& ctx) {
  if (!ctx.config.relay) return dns::resolve_route(ctx.resolver, domain, ctx.rng);
  const HostPort& relay = *ctx.config.relay;
  dns::Route route;
  dns::RouteHost host{relay.host, 0, {}};
  if (is_ip_literal(relay.host)) {
    host.addresses.push_back(relay.host);
  } else {
    auto lookup = ctx.resolver.addresses(relay.host);
    if (lookup.status != dns::LookupStatus::ok) {
      route.status = dns::RouteStatus::temporary_failure;
      route.detail = "relay " + relay.host + ": " + lookup.detail;
      return route;
    }
    host.addresses = lookup.addresses;
  }
  route.status = dns::RouteStatus::ok;
  route.hosts.push_back(std::move(host));
  return route;
}

// destination_key - the MX host set (or the relay) a route leads to.
std::string destination_key(const dns::Route& route, const DeliveryContext& ctx) {
  if (ctx.config.relay) return "relay:" + ctx.config.relay->host + ":" + std::to_string(ctx.config.relay->port);
  std::vector<std::string> names;
  for (const auto& h : route.hosts) names.push_back(h.name);
  std::sort(names.begin(), names.end());
  std::string key;
  for (const auto& n : names) key += (key.empty() ? "" : ",") + n;
  return key;
}

std::vector<RecipientOutcome> try_hosts(const std::string& domain, const dns::Route& route,
                                        const std::vector<std::string>& rcpts, const SenderIdentity& sender,
                                        const std::string& message, DeliveryContext& ctx, bool& host_failure) {
  std::vector<RecipientOutcome> out;
  const uint16_t port = ctx.config.relay ? ctx.config.relay->port : ctx.config.smtp_port;
  smtp::TransactionRequest request;
  request.helo_name = ctx.config.hostname;
  request.envelope = smtp::Envelope{sender.envelope_from, rcpts};
  request.message = message;
  request.tls = sender.tls;
  request.ca_file = ctx.config.ca_file;
  request.timeouts = ctx.config.timeouts;

  std::optional<smtp::TransactionResult> last;
  std::string last_host;
  std::size_t tried = 0;
  for (const auto& host : route.hosts) {
    for (const auto& address : host.addresses) {
      if (tried >= kMaxAddressesPerAttempt) break;
      if (!ctx.config.allow_private_mx && !ctx.config.relay && !dns::is_public_address(address)) {
        log::warn("skipping non-public MX address", {{"domain", domain}, {"mx", host.name}, {"address", address}});
        continue;
      }
      ++tried;
      smtp::TransactionResult result = ctx.send(smtp::Endpoint{host.name, address, port}, request);
      host_failure = host_failure || (result.session_reply && result.session_reply->code == 421);
      if (!host_failed(result)) return classify_transaction(result, rcpts, host.name);
      host_failure = true;
      log::info("MX host failed, trying next",
                {{"domain", domain}, {"mx", host.name}, {"address", address},
                 {"error", result.network_error ? *result.network_error
                                                : (result.session_reply ? result.session_reply->to_string() : "")}});
      last = std::move(result);
      last_host = host.name;
    }
  }
  if (!last) {
    dns::Route none;
    none.status = dns::RouteStatus::no_addresses;
    none.detail = "no public address among the MX hosts of " + domain;
    for (const auto& r : rcpts) out.push_back(classify_route(none, r));
    return out;
  }
  // Every host failed at the host level: defer everything, keeping the last reply.
  out = classify_transaction(*last, rcpts, last_host);
  for (auto& o : out) o.verdict = Verdict::deferred;
  return out;
}

// deliver_to_domain - route, then one transaction inside the destination's
// concurrency window; a full window throttles the recipients.
std::vector<RecipientOutcome> deliver_to_domain(const std::string& domain, const std::vector<std::string>& rcpts,
                                                const SenderIdentity& sender, const std::string& message,
                                                DeliveryContext& ctx) {
  dns::Route route = route_for(domain, ctx);
  std::vector<RecipientOutcome> out;
  if (route.status != dns::RouteStatus::ok) {
    for (const auto& r : rcpts) out.push_back(classify_route(route, r));
    return out;
  }
  const std::string destination = destination_key(route, ctx);
  std::optional<std::string> token = ctx.gate ? ctx.gate->enter(destination) : std::optional<std::string>("");
  if (!token) {
    for (const auto& r : rcpts)
      out.push_back({r, Verdict::throttled, store::RemoteReply{0, "4.4.5", "destination busy: " + destination, ""}});
    return out;
  }
  bool host_failure = false;
  out = try_hosts(domain, route, rcpts, sender, message, ctx, host_failure);
  if (ctx.gate) ctx.gate->leave(destination, *token, host_failure);
  return out;
}

void add_event(std::vector<store::EmailEvent>& events, const char* type, TimePoint now,
               std::vector<std::string> rcpts, std::optional<store::RemoteReply> reply) {
  events.push_back(store::EmailEvent{type, now, std::move(rcpts), std::move(reply)});
}

// fail_pending - every recipient still queued or deferred fails with a local reason.
void fail_pending(AttemptResult& result, TimePoint now, const std::string& enhanced, const std::string& why) {
  for (auto& r : result.state.recipients) {
    if (r.status != store::RecipientStatus::queued && r.status != store::RecipientStatus::deferred) continue;
    r.status = store::RecipientStatus::failed;
    r.last_reply = store::RemoteReply{0, enhanced, why, ""};
    add_event(result.events, "email.failed", now, {r.address}, r.last_reply);
  }
  result.state.last_event = "failed";
}

Result<SenderIdentity> plain_identity(const store::EmailContent& content) {
  auto sender = envelope_sender(content);
  if (!sender) return tl::unexpected(sender.error());
  SenderIdentity id;
  id.envelope_from = *sender;
  return id;
}

}  // namespace

AttemptResult attempt_delivery(const store::StoredEmail& email, DeliveryContext& ctx, TimePoint now) {
  AttemptResult result{email.state, {}, std::nullopt};
  store::EmailState& state = result.state;

  std::map<std::string, std::vector<std::string>> by_domain;
  for (const auto& r : state.recipients)
    if (r.status == store::RecipientStatus::queued || r.status == store::RecipientStatus::deferred)
      by_domain[domain_of(r.address)].push_back(r.address);
  if (by_domain.empty()) return result;

  std::vector<RecipientOutcome> outcomes;
  auto message = assemble_message(email.content);
  if (!message) {
    fail_pending(result, now, "5.6.0", "message could not be built: " + message.error().message);
    log::error("stored email cannot be assembled", {{"email_id", email.content.id}, {"error", message.error().message}});
    return result;
  }
  auto sender = ctx.senders ? ctx.senders->identity(email.content) : plain_identity(email.content);
  if (sender && !sender->keys.empty()) {
    auto signed_message = dkim::sign_message(*message, sender->signer_configs(), now);
    if (!signed_message) sender = tl::unexpected(signed_message.error());
    else message = std::move(*signed_message);
  }
  if (!sender) {
    // A key that cannot be opened is an operator problem: retry, never send unsigned.
    log::error("cannot sign email", {{"email_id", email.content.id}, {"error", sender.error().message}});
    for (const auto& [domain, rcpts] : by_domain)
      for (const auto& r : rcpts)
        outcomes.push_back({r, Verdict::deferred, store::RemoteReply{0, "4.7.0", "not sent: " + sender.error().message, ""}});
  }
  for (const auto& [domain, rcpts] : by_domain) {
    if (!sender) break;
    auto part = deliver_to_domain(domain, rcpts, *sender, *message, ctx);
    outcomes.insert(outcomes.end(), part.begin(), part.end());
  }

  if (std::any_of(outcomes.begin(), outcomes.end(), [](const RecipientOutcome& o) { return o.verdict != Verdict::throttled; }))
    state.attempts += 1;
  std::vector<std::string> delivered, deferred;
  std::optional<store::RemoteReply> delivered_reply, deferred_reply;
  std::vector<RecipientOutcome> bounced;
  bool throttled = false;
  for (const auto& o : outcomes) {
    if (o.verdict == Verdict::throttled) {
      throttled = true;  // nothing was attempted: no attempt counted, no event
      continue;
    }
    auto it = std::find_if(state.recipients.begin(), state.recipients.end(),
                           [&](const store::RecipientState& r) { return r.address == o.recipient; });
    if (it == state.recipients.end()) continue;
    it->attempts += 1;
    it->last_reply = o.reply;
    switch (o.verdict) {
      case Verdict::delivered:
        it->status = store::RecipientStatus::delivered;
        delivered.push_back(o.recipient);
        if (!delivered_reply) delivered_reply = o.reply;
        break;
      case Verdict::bounced:
        it->status = store::RecipientStatus::bounced;
        bounced.push_back(o);
        break;
      case Verdict::deferred:
        it->status = store::RecipientStatus::deferred;
        deferred.push_back(o.recipient);
        if (!deferred_reply) deferred_reply = o.reply;
        break;
      case Verdict::throttled:
        break;
    }
  }

  if (!delivered.empty()) add_event(result.events, "email.delivered", now, delivered, delivered_reply);
  if (!deferred.empty()) {
    result.retry_at = next_attempt(ctx.config.retry, state.attempts, email.content.created_at, now, ctx.rng);
    if (result.retry_at) {
      state.next_attempt_at = result.retry_at;
      if (!state.delayed_reported) {
        add_event(result.events, "email.delivery_delayed", now, deferred, deferred_reply);
        state.delayed_reported = true;
      }
    } else {
      // Too old to retry: the deferred recipients fail with their last reply.
      state.next_attempt_at.reset();
      for (auto& r : state.recipients) {
        if (r.status != store::RecipientStatus::deferred) continue;
        r.status = store::RecipientStatus::failed;
        add_event(result.events, "email.failed", now, {r.address}, r.last_reply);
      }
    }
  } else {
    state.next_attempt_at.reset();
  }
  if (throttled) {
    std::uniform_int_distribution<int> jitter_ms(0, 1000);
    TimePoint soon = now + kThrottleRetry + std::chrono::milliseconds(jitter_ms(ctx.rng));
    result.retry_at = result.retry_at ? std::min(*result.retry_at, soon) : soon;
  }
  for (const auto& b : bounced) add_event(result.events, "email.bounced", now, {b.recipient}, b.reply);
  // A scheduled email is "sent" (Resend's email.sent) when it is first
  // really attempted, before what the attempt found.
  if (email.state.last_event == "scheduled" && !result.events.empty()) {
    std::vector<std::string> everyone;
    for (const auto& r : state.recipients) everyone.push_back(r.address);
    result.events.insert(result.events.begin(), store::EmailEvent{"email.sent", now, std::move(everyone), std::nullopt});
  }
  if (!result.events.empty()) state.last_event = result.events.back().type.substr(6);  // drop "email."
  return result;
}

}  // namespace tern::worker
