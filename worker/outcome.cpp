#include "worker/outcome.hpp"

#include <map>

namespace tern::worker {
namespace {

store::RemoteReply local_reply(std::string enhanced, std::string text, std::string host = {}) {
  return store::RemoteReply{0, std::move(enhanced), std::move(text), std::move(host)};
}

Verdict verdict_of(const smtp::Reply& r) {
  if (r.code >= 200 && r.code < 300) return Verdict::delivered;
  if (r.code >= 500 && r.code < 600) return Verdict::bounced;
  return Verdict::deferred;  // 4xx, and 1xx/3xx where they make no sense: transient
}

bool session_reply_is_host_failure(const smtp::TransactionResult& r) {
  if (!r.session_reply) return false;
  const smtp::Reply& reply = *r.session_reply;
  if (reply.code == 421 || reply.transient() || !reply.permanent()) return true;
  // 5xx to the greeting or EHLO/HELO: this host will not talk to us; another MX may.
  return r.stage == smtp::Stage::greeting || r.stage == smtp::Stage::ehlo || r.stage == smtp::Stage::starttls;
}

}  // namespace

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::delivered: return "delivered";
    case Verdict::deferred: return "deferred";
    case Verdict::bounced: return "bounced";
    case Verdict::throttled: return "throttled";
  }
  return "deferred";
}

store::RemoteReply to_remote_reply(const smtp::Reply& reply, const std::string& host) {
  store::RemoteReply r;
  r.code = reply.code;
  if (reply.enhanced) r.enhanced = reply.enhanced->to_string();
  r.text = reply.text();
  r.host = host;
  return r;
}

RecipientOutcome classify_route(const dns::Route& route, const std::string& recipient) {
  switch (route.status) {
    case dns::RouteStatus::null_mx:
      return {recipient, Verdict::bounced,
              local_reply("5.1.10", "recipient domain has a null MX and accepts no mail (RFC 7505)")};
    case dns::RouteStatus::no_such_domain:
      return {recipient, Verdict::bounced, local_reply("5.1.2", "recipient domain does not exist: " + route.detail)};
    case dns::RouteStatus::no_addresses:
      return {recipient, Verdict::deferred, local_reply("4.4.4", "no usable address for the MX hosts: " + route.detail)};
    case dns::RouteStatus::temporary_failure:
    case dns::RouteStatus::ok:
      break;
  }
  return {recipient, Verdict::deferred, local_reply("4.4.3", "DNS lookup failed temporarily: " + route.detail)};
}

bool host_failed(const smtp::TransactionResult& r) {
  if (r.network_error && r.recipients.empty()) return true;
  return session_reply_is_host_failure(r) && r.recipients.empty();
}

std::vector<RecipientOutcome> classify_transaction(const smtp::TransactionResult& r,
                                                   const std::vector<std::string>& recipients,
                                                   const std::string& host) {
  std::map<std::string, const smtp::Reply*> rcpt_reply;
  for (const auto& rr : r.recipients) rcpt_reply[rr.recipient] = &rr.reply;

  std::vector<RecipientOutcome> out;
  for (const auto& rcpt : recipients) {
    RecipientOutcome o{rcpt, Verdict::deferred, {}};
    auto it = rcpt_reply.find(rcpt);
    if (it != rcpt_reply.end() && !it->second->positive()) {
      // Rejected at RCPT. 552 on RCPT means "too many recipients": retry.
      o.reply = to_remote_reply(*it->second, host);
      o.verdict = it->second->code == 552 ? Verdict::deferred : verdict_of(*it->second);
    } else if (it != rcpt_reply.end() && r.data_end_reply) {
      o.reply = to_remote_reply(*r.data_end_reply, host);
      o.verdict = verdict_of(*r.data_end_reply);
    } else if (r.session_reply) {
      // The whole transaction ended early (MAIL or DATA refused, 421 ...).
      o.reply = to_remote_reply(*r.session_reply, host);
      o.verdict = r.session_reply->code == 421 ? Verdict::deferred : verdict_of(*r.session_reply);
      if (o.verdict == Verdict::delivered) o.verdict = Verdict::deferred;  // a 2xx cannot end a transaction
    } else {
      std::string why = r.network_error ? *r.network_error : std::string("transaction ended without a reply");
      o.reply = local_reply("4.4.2", why + " (stage " + smtp::to_string(r.stage) + ")", host);
      o.verdict = Verdict::deferred;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tern::worker
