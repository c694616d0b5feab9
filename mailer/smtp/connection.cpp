// connection.cpp - connect, greeting, STARTTLS, and transactions on an open
// connection (see connection.hpp); run_session is one connection, one
// transaction.
#include "mailer/smtp/connection.hpp"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <openssl/ssl.h>

#include "mailer/smtp/dot_stuff.hpp"
#include "mailer/smtp/tls_context.hpp"

namespace tern::smtp {
namespace {

namespace ssl = asio::ssl;

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

// handshake - SNI, host name verification when enforced, then the handshake.
asio::awaitable<Result<void>> handshake(ssl::stream<tcp::socket&>& tls, Deadline& deadline,
                                        const SessionContext& ctx) {
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

}  // namespace

Connection::Connection(const asio::any_io_executor& executor) : socket_(executor), deadline_(socket_) {}

Connection::~Connection() { close(); }

void Connection::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

asio::awaitable<Flow> Connection::open(const Endpoint& endpoint, const TransactionRequest& request,
                                       TransactionResult& result) {
  endpoint_ = endpoint;
  SessionContext ctx{endpoint_, request, result, {}};
  result.stage = Stage::connect;
  Result<void> connected = co_await connect(socket_, deadline_, endpoint, request.timeouts.connect);
  if (!connected) {
    result.network_error = connected.error().message;
    close();
    co_return Flow::drop;
  }
  plain_ = std::make_unique<Chat<tcp::socket>>(socket_, deadline_, plain_parser_);
  result.stage = Stage::greeting;
  Flow flow = judge(result, co_await plain_->read_reply(request.timeouts.greeting, "greeting"), 2);
  if (flow == Flow::proceed) flow = co_await greet(*plain_, ctx);
  bool tls_up = false;
  if (flow == Flow::proceed) flow = co_await start_tls(ctx, tls_up);
  if (flow == Flow::proceed && tls_up) {
    secure_ = std::make_unique<Chat<TlsStream>>(*tls_stream_, deadline_, tls_parser_);
    flow = co_await greet(*secure_, ctx);
  }
  caps_ = ctx.caps;
  if (flow == Flow::drop) close();
  co_return flow;
}

// start_tls - STARTTLS per the TLS mode. Sets tls_up when the handshake
// completed; proceeds in plaintext when opportunistic and not possible.
asio::awaitable<Flow> Connection::start_tls(SessionContext& ctx, bool& tls_up) {
  const bool enforced = ctx.request.tls == TlsMode::enforced;
  if (ctx.request.tls == TlsMode::disabled) co_return Flow::proceed;
  auto context = client_tls_context(ctx.request.tls, ctx.request.ca_file);
  if (!ctx.caps.starttls || !context) {
    if (!enforced) co_return Flow::proceed;
    ctx.result.stage = Stage::starttls;
    ctx.result.network_error = !context ? context.error().message : "STARTTLS not offered";
    co_return Flow::quit;
  }
  ctx.result.stage = Stage::starttls;
  Result<Reply> reply = co_await plain_->command(kStartTlsCommand, ctx.request.timeouts.starttls, "STARTTLS");
  if (!reply || reply->code == 421) co_return judge(ctx.result, reply, 2);
  if (reply->code != 220) {
    if (!enforced) co_return Flow::proceed;
    ctx.result.network_error = "STARTTLS refused: " + reply->to_string();
    co_return Flow::quit;
  }
  // Bytes before our handshake were sent in clear by someone; RFC 3207 §5.
  if (!plain_->parser().idle()) {
    ctx.result.network_error = "data received after the STARTTLS reply (possible response injection)";
    co_return Flow::drop;
  }
  tls_context_ = *context;
  tls_stream_ = std::make_unique<TlsStream>(socket_, *tls_context_);
  Result<void> shaken = co_await handshake(*tls_stream_, deadline_, ctx);
  if (!shaken) co_return judge(ctx.result, tl::unexpected(shaken.error()), 2);
  tls_up = true;
  ctx.result.used_tls = true;
  co_return Flow::proceed;
}

asio::awaitable<Flow> Connection::transact(const TransactionRequest& request, TransactionResult& result) {
  SessionContext ctx{endpoint_, request, result, caps_};
  result.used_tls = encrypted();
  const std::string payload = dot_stuff(request.message);
  // if/else, never co_await inside ?: or &&: GCC 12 miscompiles those.
  Flow flow = Flow::drop;
  if (secure_) {
    flow = co_await mail_transaction(*secure_, ctx, payload);
  } else {
    flow = co_await mail_transaction(*plain_, ctx, payload);
  }
  if (flow == Flow::drop) close();
  co_return flow;
}

asio::awaitable<bool> Connection::reset(Millis timeout) {
  bool ok = false;
  if (secure_) {
    Result<Reply> reply = co_await secure_->command(kRsetCommand, timeout, "RSET");
    ok = reply && reply->code == 250;
  } else {
    Result<Reply> reply = co_await plain_->command(kRsetCommand, timeout, "RSET");
    ok = reply && reply->code == 250;
  }
  if (!ok) close();
  co_return ok;
}

asio::awaitable<void> Connection::quit(const TransactionRequest& request, TransactionResult& result) {
  SessionContext ctx{endpoint_, request, result, caps_};
  if (secure_) {
    co_await say_quit(*secure_, ctx);
  } else if (plain_) {
    co_await say_quit(*plain_, ctx);
  }
  close();
}

asio::awaitable<void> run_session(const Endpoint& endpoint, const TransactionRequest& request,
                                  TransactionResult& result) {
  Connection connection(co_await asio::this_coro::executor);
  Flow flow = co_await connection.open(endpoint, request, result);
  if (flow == Flow::proceed) flow = co_await connection.transact(request, result);
  if (flow != Flow::drop) co_await connection.quit(request, result);
}

}  // namespace tern::smtp
