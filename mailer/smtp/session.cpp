// session.cpp - the deadline and the non-template helpers of the session
// steps (see session.hpp); connection.cpp opens connections and runs them.
#include "mailer/smtp/session.hpp"

namespace tern::smtp {

Deadline::Deadline(tcp::socket& socket) : state_(std::make_shared<State>()), timer_(socket.get_executor()) {
  state_->socket = &socket;
}

Deadline::~Deadline() { state_->socket = nullptr; }

void Deadline::arm(Millis timeout) {
  ++state_->generation;
  state_->expired = false;
  timer_.expires_after(timeout);
  timer_.async_wait([state = state_, generation = state_->generation](const boost::system::error_code& ec) {
    if (ec || generation != state->generation || state->socket == nullptr) return;
    state->expired = true;
    boost::system::error_code ignored;
    state->socket->close(ignored);
  });
}

bool Deadline::disarm() {
  ++state_->generation;
  timer_.cancel();
  return state_->expired;
}

Flow judge(TransactionResult& result, const Result<Reply>& reply, int wanted_class) {
  if (!reply) {
    result.network_error = reply.error().message;
    return Flow::drop;
  }
  if (reply->code / 100 == wanted_class) return Flow::proceed;
  result.session_reply = *reply;
  return reply->code == 421 ? Flow::drop : Flow::quit;
}

Reply local_reply(int code, EnhancedCode enhanced, std::string_view text) {
  Reply reply;
  reply.code = code;
  reply.enhanced = enhanced;
  reply.lines.push_back(enhanced.to_string() + " (local) " + std::string(text));
  return reply;
}

std::optional<std::string> mail_from_line(SessionContext& ctx, std::size_t payload_size) {
  const Envelope& envelope = ctx.request.envelope;
  if (ctx.caps.size_limit && *ctx.caps.size_limit > 0 && payload_size > *ctx.caps.size_limit) {
    ctx.result.session_reply = local_reply(552, {5, 3, 4}, "message size exceeds the server's SIZE limit");
    return std::nullopt;
  }
  if (needs_smtputf8(envelope.mail_from) && !ctx.caps.smtputf8) {
    ctx.result.session_reply = local_reply(553, {5, 6, 7}, "sender address needs SMTPUTF8, not offered");
    return std::nullopt;
  }
  bool utf8 = needs_smtputf8(envelope.mail_from);
  for (const std::string& rcpt : envelope.recipients) utf8 = utf8 || needs_smtputf8(rcpt);
  MailParameters params;
  if (ctx.caps.size_limit) params.size = payload_size;
  params.smtputf8 = utf8 && ctx.caps.smtputf8;
  Result<std::string> line = mail_from_command(envelope.mail_from, params);
  if (!line) {
    ctx.result.session_reply = local_reply(501, {5, 1, 7}, line.error().message);
    return std::nullopt;
  }
  return *line;
}

std::string rcpt_line(const SessionContext& ctx, const std::string& recipient, std::optional<Reply>& refusal) {
  Result<std::string> line = rcpt_to_command(recipient);
  if (!line) {
    refusal = local_reply(501, {5, 1, 3}, line.error().message);
    return {};
  }
  if (needs_smtputf8(recipient) && !ctx.caps.smtputf8) {
    refusal = local_reply(553, {5, 6, 7}, "recipient address needs SMTPUTF8, not offered");
    return {};
  }
  return *line;
}

}  // namespace tern::smtp
