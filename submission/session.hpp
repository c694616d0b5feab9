// session.hpp - one SMTP submission session (RFC 6409 over RFC 5321), the
// coroutine that runs it, with STARTTLS (RFC 3207) or implicit TLS
// (RFC 8314), AUTH PLAIN/LOGIN (RFC 4954) and the checks of gateway.hpp.
//
// Promises (reply codes with RFC 3463 enhanced codes):
//   - EHLO offers PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES,
//     STARTTLS before TLS and AUTH PLAIN LOGIN only once TLS is up; AUTH
//     before TLS -> 538 5.7.11; after STARTTLS everything the client said
//     before is forgotten, buffered plaintext included;
//   - MAIL before AUTH -> 530 5.7.0; a wrong user or key -> 535 5.7.8,
//     counted per session (3 close with 421 4.7.0) and per client address
//     (AuthThrottle: AUTH then gets 421 4.7.0 and the connection closes);
//   - MAIL's sender is checked at once (gateway check_sender); bad
//     parameters -> 555 5.5.4; SIZE= or data over the limit -> 552 5.3.4;
//     more than max_recipients -> 452 4.5.3; a line over the limit -> 500
//     5.5.2 and close; unknown commands -> 500 5.5.2; bad arguments -> 501;
//     bad sequence -> 503 5.5.1; max_errors of those -> 421 4.7.0, close;
//   - a client silent for command_timeout is disconnected;
//   - the reply to the final dot is the gateway's (250 2.0.0 Ok: queued as
//     <id> only once the email is durable).
// Gateway calls block the session's thread (Listener threads > 1).
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <cstddef>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "mailer/smtp/server_io.hpp"
#include "store/util/clock.hpp"
#include "submission/auth_throttle.hpp"
#include "submission/gateway.hpp"

namespace tern::submission {

struct SessionOptions {
  std::string hostname = "localhost";  // greeting and EHLO reply
  std::string user = "resend";         // "*" accepts any user name
  smtp::ServerLimits limits;
  std::size_t max_recipients = 50;     // Resend's limit per email
  int max_errors = 10;
  int max_auth_failures = 3;           // per session
};

struct SessionContext {
  Gateway& gateway;
  AuthThrottle& throttle;
  const Clock& clock;
  boost::asio::ssl::context& tls;
  const SessionOptions& options;
};

// run_session - the whole session on the socket's executor; implicit_tls
// starts with a TLS handshake (port 465). Never throws on I/O errors.
boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, bool implicit_tls,
                                         const SessionContext& context);

}  // namespace tern::submission
