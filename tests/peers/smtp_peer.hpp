// smtp_peer.hpp - a scriptable, fault-injecting SMTP server for tests.
//
// Listens on 127.0.0.1, port 0 (port() says which), serves any number of
// concurrent connections on its own thread, and stops in stop() or the
// destructor. Its behaviour is chosen per recipient local part, KumoMTA
// style (case-insensitive):
//   ok (and anything unlisted)   250 at RCPT
//   bounce, 550                  550 5.1.1 at RCPT
//   tempfail, 451                451 4.3.0 at RCPT
//   tempfail-once-<tag>          451 the first time this exact address is seen (across connections), 250 after
//   421                          421 4.3.2 at RCPT, then the connection is closed
//   <ddd> (other 3 digits)       that code at RCPT, enhanced code <d>.0.0
//   delay-<ms>                   wait <ms> before the 250 to RCPT
//   data-550                     250 at RCPT, 550 5.6.0 after the final dot
//   data-451-once-<tag>          451 4.3.0 after the dot the first time this address is seen, 250 after
//   disconnect-in-data           the connection is dropped after the dot, no reply
// and per sender: reject-sender@ gets 550 5.7.1 at MAIL (later RCPTs: 503).
// Per-connection options (SmtpPeerOptions) set the greeting code, hide
// ESMTP/PIPELINING/ENHANCEDSTATUSCODES, offer STARTTLS (with a CA and a
// "localhost" certificate generated at start-up; ca_file() trusts it; or
// with a response injected behind the 220 to STARTTLS), delay
// any reply, and flood the EHLO reply (endless lines, or a > 1 MB line).
//
// Accepted messages (250 after the dot) are recorded with their envelope and
// the DATA bytes after un-dot-stuffing (CRLF kept, final ".\r\n" removed),
// split on CRLF only, so a bare CR or LF from the client is kept verbatim.
// Every command line of every connection is recorded too. All accessors are
// thread-safe. A test tool: errors while serving just close the connection;
// the constructor throws if it cannot listen.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tern::testing {

enum class SmtpFlood {
  none,
  endless_multiline,  // "250-..." lines forever
  huge_line,          // one "250-" line of 1.5 MB
};

struct SmtpPeerOptions {
  int greeting_code = 220;             // 421: say so and close; other non-2xx: then 503 to all but QUIT
  bool esmtp = true;                   // false: EHLO gets 502, clients must fall back to HELO
  bool pipelining = true;
  bool enhanced_status_codes = true;
  bool starttls = false;               // advertise STARTTLS (until TLS is up)
  bool inject_after_starttls = false;  // send a plaintext "250" right behind the 220 to STARTTLS
  std::optional<uint64_t> size_limit;  // advertise SIZE n
  // Wait before replying; keys: "greeting", "EHLO", "HELO", "STARTTLS",
  // "MAIL", "RCPT", "DATA", "dot", "QUIT".
  std::map<std::string, std::chrono::milliseconds> delays;
  SmtpFlood ehlo_flood = SmtpFlood::none;
  int close_after_messages = 0;  // > 0: close the connection right after the Nth accepted message
};

struct ReceivedMessage {
  std::string helo;                     // argument of the last EHLO/HELO
  std::string mail_from;                // between the angle brackets
  std::vector<std::string> recipients;  // accepted ones, in order
  std::string data;                     // un-dot-stuffed, without the final ".\r\n"
  bool tls = false;                     // received over STARTTLS
};

class SmtpPeer {
 public:
  explicit SmtpPeer(SmtpPeerOptions options = {});
  ~SmtpPeer();
  SmtpPeer(const SmtpPeer&) = delete;
  SmtpPeer& operator=(const SmtpPeer&) = delete;

  uint16_t port() const;
  const std::string& ca_file() const;  // PEM of the CA behind the STARTTLS certificate; empty without starttls
  void stop();                         // idempotent; open connections are dropped

  std::vector<ReceivedMessage> messages() const;
  // wait_for_messages - true once at least n messages were accepted.
  bool wait_for_messages(std::size_t n, std::chrono::steady_clock::time_point deadline) const;
  bool wait_for_messages(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // transcripts - command lines received, one vector per connection, in
  // accept order (DATA content excluded).
  std::vector<std::vector<std::string>> transcripts() const;
  // wait_for_closed - true once n connections have ended on the peer's side.
  bool wait_for_closed(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::testing
