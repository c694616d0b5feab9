// bounce_listener.hpp - Tern's inbound SMTP for its return path: accepts
// delivery status notifications (RFC 3464) and abuse feedback reports
// (RFC 5965) addressed to its own VERP addresses (worker/verp.hpp), and
// hands each parsed report to a BounceSink.
//
// Promises:
//   - RCPT TO other than bounces+<uuid>@<any domain> -> 550 5.1.1; more than
//     max_recipients -> 452 4.5.3; MAIL FROM SIZE= or data over
//     max_message_bytes -> 552 5.3.4 (the data is read and discarded, so the
//     session stays in step); a line over max_line_length -> 500 5.5.2 and
//     the connection is closed; a command not answered within
//     command_timeout, or DATA not finished within data_timeout, closes the
//     connection; past max_sessions a new connection gets 421 4.3.2.
//   - A complete message is parsed (mailer/dsn_parse.hpp). A report calls
//     the sink once per VERP recipient, then 250; if the sink fails (Redis
//     down) the answer is 451 4.3.0 so the sender keeps the report and
//     retries. A message that is not a report (an auto-reply, spam) is
//     accepted and dropped with a log line: refusing it would only make
//     the sender bounce the bounce.
//   - No TLS, no AUTH, no relaying: nothing is ever forwarded.
// Threads: one I/O thread runs every session; the sink is called on it, so
// a slow sink delays the other sessions (reports are few and small).
// Asio stays in bounce_listener.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "mailer/dsn_parse.hpp"
#include "store/util/config.hpp"
#include "store/util/result.hpp"

namespace tern::worker {

class BounceSink {
 public:
  virtual ~BounceSink() = default;
  // on_report - one report about the email `email_id` (from the VERP
  // recipient, lower-case UUID). An Error asks the sender to retry later.
  virtual Result<void> on_report(const std::string& email_id, const mailer::ParsedReport& report) = 0;
};

struct BounceListenerOptions {
  std::string hostname = "localhost";              // greeting and EHLO reply
  std::size_t max_message_bytes = 10 * 1024 * 1024;
  std::size_t max_recipients = 20;
  std::size_t max_line_length = 1000;              // octets with CRLF (RFC 5321 §4.5.3.1.6)
  Millis command_timeout{std::chrono::minutes(5)};  // RFC 5321 §4.5.3.2.7
  Millis data_timeout{std::chrono::minutes(10)};    // the whole DATA phase
  int max_sessions = 50;
  int max_errors = 10;                             // bad commands before 421
};

class BounceListener {
 public:
  BounceListener(BounceSink& sink, BounceListenerOptions options);
  ~BounceListener();  // stop()
  BounceListener(const BounceListener&) = delete;
  BounceListener& operator=(const BounceListener&) = delete;

  // start - listen on host:port (0 = any free port) and serve on a thread
  // of its own; the port bound. Errc::unavailable when it cannot listen.
  Result<uint16_t> start(const std::string& host, uint16_t port);
  // stop - close the listener and every session; safe to call twice.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::worker
