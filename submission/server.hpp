// server.hpp - SMTP submission (RFC 6409): mail clients and frameworks send
// through Tern with a host, a port, a user name and an API key as password,
// and get exactly what POST /emails gives (queue, DKIM, delivery, events).
//
// SubmissionServer runs up to two listeners from SubmissionConfig: one with
// STARTTLS (587) and one with implicit TLS (465), each on its own threads
// (mailer/smtp/listener.hpp), sessions as in session.hpp, answers from a
// Gateway. Asio and OpenSSL stay in the .cpp files.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "store/util/config.hpp"
#include "store/util/result.hpp"
#include "submission/auth_throttle.hpp"
#include "submission/gateway.hpp"
#include "submission/session.hpp"

namespace tern::submission {

struct SubmissionPorts {
  std::optional<uint16_t> starttls;
  std::optional<uint16_t> tls;
};

class SubmissionServer {
 public:
  SubmissionServer(Gateway& gateway, const Clock& clock, SessionOptions options);
  ~SubmissionServer();  // stop()
  SubmissionServer(const SubmissionServer&) = delete;
  SubmissionServer& operator=(const SubmissionServer&) = delete;

  // start - load the certificate and key, then listen on each configured
  // address (port 0 = any free port); the ports bound. Errc::invalid_argument
  // for unreadable or mismatched PEM files, Errc::unavailable when a listener
  // cannot bind. Nothing keeps running after a failed start.
  Result<SubmissionPorts> start(const SubmissionConfig& config);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// session_options - the SessionOptions a SubmissionConfig asks for.
SessionOptions session_options(const SubmissionConfig& config, std::string hostname);

}  // namespace tern::submission
