#include "mailer/smtp/tls_context.hpp"

#include <map>
#include <mutex>
#include <utility>

namespace tern::smtp {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> client_tls_context(TlsMode mode, const std::string& ca_file) {
  const bool enforced = mode == TlsMode::enforced;
  static std::mutex mutex;
  static std::map<std::pair<bool, std::string>, std::shared_ptr<ssl::context>> contexts;
  auto key = std::make_pair(enforced, enforced ? ca_file : std::string());
  std::lock_guard lock(mutex);
  if (auto hit = contexts.find(key); hit != contexts.end()) return hit->second;

  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  if (!enforced) {
    context->set_verify_mode(ssl::verify_none, ec);
  } else {
    context->set_verify_mode(ssl::verify_peer, ec);
    if (!ec) context->set_default_verify_paths(ec);
    if (!ec && !ca_file.empty()) context->load_verify_file(ca_file, ec);
  }
  if (ec) return fail(Errc::invalid_argument, "TLS setup failed: " + ec.message());
  contexts.emplace(key, context);
  return context;
}

}  // namespace tern::smtp
