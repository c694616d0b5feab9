// webhook_sender.cpp - see webhook_sender.hpp. The only file that includes
// Boost.Beast: one coroutine, straight through (connect, TLS, write, read).
#include "worker/webhook_sender.hpp"

#include <exception>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

namespace tern::worker {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kAwait = asio::use_awaitable;

struct Exchange {
  const store::WebhookUrl& url;
  const std::vector<Header>& headers;
  std::string_view body;
  const SenderOptions& options;
  SendResult& result;
};

std::string truncate(std::string text, std::size_t max) {
  if (text.size() > max) text.resize(max);
  return text;
}

http::request<http::string_body> make_request(const Exchange& x) {
  http::request<http::string_body> req{http::verb::post, x.url.target, 11};
  req.set(http::field::host, x.url.host_header());
  req.set(http::field::user_agent, "Tern-Webhooks/1.0");
  for (const auto& h : x.headers) req.set(h.name, h.value);
  req.body() = std::string(x.body);
  req.keep_alive(false);
  req.prepare_payload();
  return req;
}

// exchange - write the request, read the response (status + capped body).
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const Exchange& x) {
  error_code ec;
  auto req = make_request(x);
  co_await http::async_write(stream, req, asio::redirect_error(kAwait, ec));
  if (ec) {
    x.result.response = "sending the request failed: " + ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseRead);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(kAwait, ec));
  // A body over the limit still has a status line worth recording.
  if (ec && !(ec == http::error::body_limit && parser.is_header_done())) {
    x.result.response = "reading the response failed: " + ec.message();
    co_return;
  }
  x.result.http_status = static_cast<int>(parser.get().result_int());
  x.result.response = truncate(parser.get().body(), x.options.max_response_bytes);
}

asio::awaitable<void> connect(beast::tcp_stream& tcp_layer, const tcp::endpoint& target, SendResult& result,
                              bool& ok) {
  error_code ec;
  co_await tcp_layer.async_connect(target, asio::redirect_error(kAwait, ec));
  ok = !ec;
  if (ec) result.response = "connecting to " + target.address().to_string() + " failed: " + ec.message();
}

asio::awaitable<void> run_plain(tcp::endpoint target, Exchange x) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(x.options.timeout);
  bool ok = false;
  co_await connect(stream, target, x.result, ok);
  if (ok) co_await exchange(stream, x);
}

asio::awaitable<void> run_tls(tcp::endpoint target, Exchange x, ssl::context& tls) {
  beast::ssl_stream<beast::tcp_stream> stream(co_await asio::this_coro::executor, tls);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(x.options.timeout);
  if (!x.url.host_is_ip) SSL_set_tlsext_host_name(stream.native_handle(), x.url.host.c_str());
  error_code ec;
  stream.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) stream.set_verify_callback(ssl::host_name_verification(x.url.host), ec);
  if (ec) {
    x.result.response = "TLS setup failed: " + ec.message();
    co_return;
  }
  bool ok = false;
  co_await connect(lowest, target, x.result, ok);
  if (!ok) co_return;
  co_await stream.async_handshake(ssl::stream_base::client, asio::redirect_error(kAwait, ec));
  if (ec) {
    x.result.response = "TLS handshake with " + x.url.host + " failed: " + ec.message();
    co_return;
  }
  co_await exchange(stream, x);
}

// tls_context - verify against the system store plus the optional CA file.
bool tls_context(ssl::context& tls, const SenderOptions& options, SendResult& result) {
  error_code ec;
  tls.set_default_verify_paths(ec);
  if (!ec && !options.ca_file.empty()) tls.load_verify_file(options.ca_file, ec);
  if (ec) result.response = "TLS trust store: " + ec.message();
  return !ec;
}

}  // namespace

SendResult post_webhook(const store::WebhookUrl& url, const std::string& address, const std::vector<Header>& headers,
                        std::string_view body, const SenderOptions& options) {
  SendResult result;
  try {
    error_code ec;
    auto ip = asio::ip::make_address(address, ec);
    if (ec) {
      result.response = "not an IP address: " + address;
      return result;
    }
    tcp::endpoint target(ip, url.port);
    Exchange x{url, headers, body, options, result};
    ssl::context tls(ssl::context::tls_client);  // outlives every stream in io
    asio::io_context io;
    auto done = [&result](std::exception_ptr error) {
      if (!error) return;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        result.http_status.reset();
        result.response = std::string("internal error in webhook request: ") + e.what();
      } catch (...) {
        result.http_status.reset();
        result.response = "internal error in webhook request: unknown exception";
      }
    };
    if (url.https) {
      if (!tls_context(tls, options, result)) return result;
      asio::co_spawn(io, run_tls(target, x, tls), done);
    } else {
      asio::co_spawn(io, run_plain(target, x), done);
    }
    io.run();
  } catch (const std::exception& e) {
    result.http_status.reset();
    result.response = std::string("internal error in webhook request: ") + e.what();
  }
  return result;
}

}  // namespace tern::worker
