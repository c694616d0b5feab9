// server.cpp - TLS context, the two listeners and their sessions.
#include "submission/server.hpp"

#include <boost/asio/ssl/context.hpp>

#include "mailer/smtp/listener.hpp"

namespace tern::submission {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

constexpr int kMaxSessions = 1000;
constexpr int kThreads = 8;  // sessions block their thread on Redis; 8 keep the others going
constexpr int kAuthFailuresPerAddress = 10;
constexpr Millis kAuthFailureWindow = std::chrono::minutes(15);

// load_tls - a server context (TLS 1.2 and later) with the PEM chain and key.
Result<void> load_tls(ssl::context& context, const SubmissionConfig& config) {
  if (config.tls_cert.empty() || config.tls_key.empty())
    return fail(Errc::invalid_argument, "TERN_TLS_CERT and TERN_TLS_KEY are required by the submission listeners");
  boost::system::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                      ec);
  if (!ec) context.use_certificate_chain_file(config.tls_cert, ec);
  if (ec) return fail(Errc::invalid_argument, "TERN_TLS_CERT " + config.tls_cert + ": " + ec.message());
  context.use_private_key_file(config.tls_key, ssl::context::pem, ec);
  if (ec) return fail(Errc::invalid_argument, "TERN_TLS_KEY " + config.tls_key + ": " + ec.message());
  return {};
}

}  // namespace

struct SubmissionServer::Impl {
  Impl(Gateway& g, const Clock& c, SessionOptions o)
      : gateway(g), clock(c), options(std::move(o)), throttle(kAuthFailuresPerAddress, kAuthFailureWindow),
        tls(ssl::context::tls_server), context{gateway, throttle, clock, tls, options} {}

  std::unique_ptr<smtp::Listener> make_listener(const char* name, bool implicit_tls, int per_address) {
    return std::make_unique<smtp::Listener>(
        smtp::ListenerOptions{name, kMaxSessions, per_address, kThreads},
        [this, implicit_tls](asio::ip::tcp::socket socket) { return run_session(std::move(socket), implicit_tls, context); });
  }

  Gateway& gateway;
  const Clock& clock;
  SessionOptions options;
  AuthThrottle throttle;
  ssl::context tls;
  SessionContext context;
  std::unique_ptr<smtp::Listener> starttls_listener;
  std::unique_ptr<smtp::Listener> tls_listener;
};

SubmissionServer::SubmissionServer(Gateway& gateway, const Clock& clock, SessionOptions options)
    : impl_(std::make_unique<Impl>(gateway, clock, std::move(options))) {}

SubmissionServer::~SubmissionServer() { stop(); }

Result<SubmissionPorts> SubmissionServer::start(const SubmissionConfig& config) {
  if (auto loaded = load_tls(impl_->tls, config); !loaded) return tl::unexpected(loaded.error());
  SubmissionPorts ports;
  if (config.starttls_listen) {
    impl_->starttls_listener = impl_->make_listener("submission listener", false, config.max_client_sessions);
    auto port = impl_->starttls_listener->start(config.starttls_listen->host, config.starttls_listen->port);
    if (!port) {
      stop();
      return tl::unexpected(port.error());
    }
    ports.starttls = *port;
  }
  if (config.tls_listen) {
    impl_->tls_listener = impl_->make_listener("submission TLS listener", true, config.max_client_sessions);
    auto port = impl_->tls_listener->start(config.tls_listen->host, config.tls_listen->port);
    if (!port) {
      stop();
      return tl::unexpected(port.error());
    }
    ports.tls = *port;
  }
  return ports;
}

void SubmissionServer::stop() {
  if (impl_->starttls_listener) impl_->starttls_listener->stop();
  if (impl_->tls_listener) impl_->tls_listener->stop();
}

SessionOptions session_options(const SubmissionConfig& config, std::string hostname) {
  SessionOptions options;
  options.hostname = std::move(hostname);
  options.user = config.user;
  options.limits.max_message_bytes = config.max_message_bytes;
  options.limits.command_timeout = config.command_timeout;
  return options;
}

}  // namespace tern::submission
