// connection.hpp - one SMTP client connection that can carry several mail
// transactions.
//
// open() connects, reads the greeting, says EHLO (HELO fallback) and starts
// TLS per the request's TlsMode (then EHLO again); transact() runs one
// MAIL / RCPT... / DATA / final-dot transaction on it; reset() says RSET
// (needed only when a transaction was abandoned before the final dot: after
// the reply to the dot the server is back in its initial state, RFC 5321
// §4.1.1.4); quit() says QUIT and closes. The steps are the Chat templates of
// session.hpp, so a reused connection speaks exactly as a fresh one.
//
// Flow results: proceed (open: mail can be sent), quit (the transaction is
// over, the connection is still in step with the server), drop (unusable,
// already closed). Not movable: the deadline and the TLS stream point at the
// socket.
#pragma once

#include <memory>

#include "mailer/smtp/session.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

namespace tern::smtp {

class Connection {
 public:
  explicit Connection(const asio::any_io_executor& executor);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  asio::awaitable<Flow> open(const Endpoint& endpoint, const TransactionRequest& request, TransactionResult& result);
  asio::awaitable<Flow> transact(const TransactionRequest& request, TransactionResult& result);
  // reset - RSET; false (and closed) unless the server answered 250.
  asio::awaitable<bool> reset(Millis timeout);
  // quit - QUIT, its reply awaited, then closed.
  asio::awaitable<void> quit(const TransactionRequest& request, TransactionResult& result);
  void close();

  bool is_open() const { return socket_.is_open(); }
  bool encrypted() const { return secure_ != nullptr; }

 private:
  using TlsStream = asio::ssl::stream<tcp::socket&>;
  asio::awaitable<Flow> start_tls(SessionContext& ctx, bool& tls_up);

  tcp::socket socket_;
  Deadline deadline_;
  Endpoint endpoint_;
  Capabilities caps_;
  ReplyParser plain_parser_;
  ReplyParser tls_parser_;  // nothing from the plaintext phase survives (RFC 3207 §4.2)
  std::unique_ptr<Chat<tcp::socket>> plain_;
  std::shared_ptr<asio::ssl::context> tls_context_;
  std::unique_ptr<TlsStream> tls_stream_;
  std::unique_ptr<Chat<TlsStream>> secure_;
};

}  // namespace tern::smtp
