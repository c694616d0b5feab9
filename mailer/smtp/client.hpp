// client.hpp - one SMTP transaction to one endpoint, as the worker sees it.
//
// This header is the mailer's front door for delivery and holds no Asio
// types; the coroutine session lives in session.hpp. The client never
// interprets reply codes beyond protocol flow: deciding delivered / deferred /
// bounced is worker/outcome's job. Replies travel intact (code, enhanced
// code, text) so they can reach the webhook.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailer/smtp/reply.hpp"
#include "store/util/config.hpp"

namespace tern::smtp {

enum class Stage { connect, greeting, ehlo, starttls, mail_from, rcpt_to, data, data_end, quit };
const char* to_string(Stage stage);

enum class TlsMode {
  opportunistic,  // STARTTLS when offered; certificate not verified (RFC 7435)
  enforced,       // no STARTTLS or a failed handshake/verification => network_error, nothing sent in clear
  disabled,       // never STARTTLS (tests, relays on loopback)
};

struct Endpoint {
  std::string host_name;  // MX name, for SNI and certificate checks
  std::string address;    // IP literal to connect to
  uint16_t port = 25;
};

struct Envelope {
  std::string mail_from;                // reverse-path, may be empty for <>
  std::vector<std::string> recipients;  // forward-paths
};

struct TransactionRequest {
  std::string helo_name;
  Envelope envelope;
  std::string_view message;  // CRLF bytes, NOT dot-stuffed (the session does it)
  TlsMode tls = TlsMode::opportunistic;
  std::string ca_file;       // extra trust anchors for enforced mode
  SmtpTimeouts timeouts;
};

struct RecipientReply {
  std::string recipient;
  Reply reply;
};

struct TransactionResult {
  Stage stage = Stage::connect;               // the last stage reached
  std::optional<std::string> network_error;   // connect/read/write/timeout/TLS failure, human text
  std::optional<Reply> session_reply;         // a reply that ended the whole transaction
                                              // (greeting, EHLO/HELO, MAIL, DATA, 421 anywhere)
  std::vector<RecipientReply> recipients;     // one per RCPT sent, in envelope order
  std::optional<Reply> data_end_reply;        // the reply to the final "."
  bool used_tls = false;
};

// send_transaction - connect, greet, EHLO (HELO fallback), STARTTLS per mode,
// MAIL, RCPT per recipient, DATA (only if some RCPT got 2xx), QUIT. Every
// step has its own deadline from request.timeouts. Blocking: runs its own
// io_context on the calling thread. Never throws.
TransactionResult send_transaction(const Endpoint& endpoint, const TransactionRequest& request);

}  // namespace tern::smtp
