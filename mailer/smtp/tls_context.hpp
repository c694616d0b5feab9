// tls_context.hpp - the client TLS contexts, one per (mode, CA file) for the
// whole process. Building an SSL_CTX (and loading the system trust store)
// costs far more than a handshake; sessions only need SSL objects made from
// a shared, fully configured context, which OpenSSL allows from any thread.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "mailer/smtp/client.hpp"
#include "store/util/result.hpp"

namespace tern::smtp {

// client_tls_context - opportunistic: encrypt without checking the
// certificate (RFC 7435); enforced: the system trust store plus ca_file,
// peer verification on. Built once, then shared.
Result<std::shared_ptr<boost::asio::ssl::context>> client_tls_context(TlsMode mode, const std::string& ca_file);

}  // namespace tern::smtp
