// session.cpp - connect, greeting, STARTTLS and the run of one transaction
// (see session.hpp). The per-command steps are the templates in session.hpp.
#include "mailer/smtp/session.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/this_coro.hpp>
#include <openssl/ssl.h>

#include "mailer/smtp/dot_stuff.hpp"

namespace tern::smtp {
namespace {

namespace ssl = asio::ssl;
using TlsStream = ssl::stream<tcp::socket&>;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// connect - TCP connect to the endpoint's address under the connect timeout.
asio::awaitable<Result<void>> connect(tcp::socket& socket, Deadline& deadline, const Endpoint& endpoint,
                                      Millis timeout) {
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(endpoint.address, ec);
  if (ec) co_return fail(Errc::invalid_argument, "invalid address \"" + endpoint.address + "\"");
  std::string where = (address.is_v6() ? "[" + endpoint.address + "]" : endpoint.address) + ":" +
                      std::to_string(endpoint.port);
  deadline.arm(timeout);
  co_await socket.async_connect(tcp::endpoint(address, endpoint.port), asio::redirect_error(asio::use_awaitable, ec));
  if (deadline.disarm()) co_return fail(Errc::unavailable, "timeout connecting to " + where);
  if (ec) co_return fail(Errc::unavailable, "connect to " + where + " failed: " + ec.message());
  co_return Result<void>{};
}

// configure_tls - opportunistic: encrypt without checking the certificate
// (RFC 7435); enforced: the system trust store plus request.ca_file.
Result<void> configure_tls(ssl::context& context, const TransactionRequest& request) {
  if (request.tls != TlsMode::enforced) {
    context.set_verify_mode(ssl::verify_none);
    return {};
  }
  boost::system::error_code ec;
  context.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) context.set_default_verify_paths(ec);
  if (!ec && !request.ca_file.empty()) context.load_verify_file(request.ca_file, ec);
  if (ec) return fail(Errc::invalid_argument, "TLS setup failed: " + ec.message());
  return {};
}

// handshake - SNI, host name verification when enforced, then the handshake.
asio::awaitable<Result<void>> handshake(TlsStream& tls, Deadline& deadline, const SessionContext& ctx) {
  const std::string& host = ctx.endpoint.host_name;
  if (!host.empty() && !is_ip_literal(host)) SSL_set_tlsext_host_name(tls.native_handle(), host.c_str());
  boost::system::error_code ec;
  if (ctx.request.tls == TlsMode::enforced) tls.set_verify_callback(ssl::host_name_verification(host), ec);
  if (ec) co_return fail(Errc::internal, "TLS setup failed: " + ec.message());
  deadline.arm(ctx.request.timeouts.starttls);
  co_await tls.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (deadline.disarm()) co_return fail(Errc::unavailable, "timeout during TLS handshake");
  if (ec) co_return fail(Errc::unavailable, "TLS handshake failed: " + ec.message());
  co_return Result<void>{};
}

// start_tls - STARTTLS per the TLS mode. Sets tls_up when the handshake
// completed; proceeds in plaintext when opportunistic and not possible.
asio::awaitable<Flow> start_tls(Chat<tcp::socket>& plain, TlsStream& tls, Deadline& deadline, SessionContext& ctx,
                                const Result<void>& tls_ready, bool& tls_up) {
  bool enforced = ctx.request.tls == TlsMode::enforced;
  if (ctx.request.tls == TlsMode::disabled) co_return Flow::proceed;
  if (!ctx.caps.starttls || !tls_ready) {
    if (!enforced) co_return Flow::proceed;
    ctx.result.stage = Stage::starttls;
    ctx.result.network_error = !tls_ready ? tls_ready.error().message : "STARTTLS not offered";
    co_return Flow::quit;
  }
  ctx.result.stage = Stage::starttls;
  Result<Reply> reply = co_await plain.command(kStartTlsCommand, ctx.request.timeouts.starttls, "STARTTLS");
  if (!reply || reply->code == 421) co_return judge(ctx.result, reply, 2);
  if (reply->code != 220) {
    if (!enforced) co_return Flow::proceed;
    ctx.result.network_error = "STARTTLS refused: " + reply->to_string();
    co_return Flow::quit;
  }
  // Bytes before our handshake were sent in clear by someone; RFC 3207 §5.
  if (!plain.parser().idle()) {
    ctx.result.network_error = "data received after the STARTTLS reply (possible response injection)";
    co_return Flow::drop;
  }
  Result<void> shaken = co_await handshake(tls, deadline, ctx);
  if (!shaken) co_return judge(ctx.result, tl::unexpected(shaken.error()), 2);
  tls_up = true;
  ctx.result.used_tls = true;
  co_return Flow::proceed;
}

// finish - from EHLO (when `greeted` is false) to QUIT on one stream.
template <class Stream>
asio::awaitable<void> finish(Chat<Stream>& chat, SessionContext& ctx, std::string_view payload, bool greeted) {
  Flow flow = Flow::proceed;
  if (!greeted) flow = co_await greet(chat, ctx);
  if (flow == Flow::proceed) flow = co_await mail_transaction(chat, ctx, payload);
  if (flow != Flow::drop) co_await say_quit(chat, ctx);
}

}  // namespace

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

asio::awaitable<void> run_session(const Endpoint& endpoint, const TransactionRequest& request,
                                  TransactionResult& result) {
  tcp::socket socket(co_await asio::this_coro::executor);
  Deadline deadline(socket);
  SessionContext ctx{endpoint, request, result, {}};
  const std::string payload = dot_stuff(request.message);

  result.stage = Stage::connect;
  Result<void> connected = co_await connect(socket, deadline, endpoint, request.timeouts.connect);
  if (!connected) {
    result.network_error = connected.error().message;
    co_return;
  }
  ReplyParser parser;
  Chat<tcp::socket> plain(socket, deadline, parser);
  result.stage = Stage::greeting;
  Flow flow = judge(result, co_await plain.read_reply(request.timeouts.greeting, "greeting"), 2);
  if (flow == Flow::proceed) flow = co_await greet(plain, ctx);

  ssl::context tls_context(ssl::context::tls_client);
  Result<void> tls_ready = configure_tls(tls_context, request);
  TlsStream tls(socket, tls_context);
  bool tls_up = false;
  if (flow == Flow::proceed) flow = co_await start_tls(plain, tls, deadline, ctx, tls_ready, tls_up);
  if (flow == Flow::proceed && tls_up) {
    ReplyParser tls_parser;  // nothing from the plaintext phase survives (RFC 3207 §4.2)
    Chat<TlsStream> secure(tls, deadline, tls_parser);
    co_await finish(secure, ctx, payload, false);
  } else if (flow == Flow::drop) {
    co_return;
  } else if (flow == Flow::quit) {
    co_await say_quit(plain, ctx);
  } else {
    co_await finish(plain, ctx, payload, true);
  }
}

}  // namespace tern::smtp
