// listener.cpp - accept loop, session caps and the session threads.
#include "mailer/smtp/listener.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "store/util/log.hpp"

namespace tern::smtp {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string describe(std::exception_ptr ep) {
  try {
    if (ep) std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "non-standard exception";
  }
  return "unknown";
}

asio::awaitable<void> refuse(tcp::socket socket) {
  static constexpr std::string_view kBusy = "421 4.3.2 Too many connections, try again later\r\n";
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(kBusy.data(), kBusy.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

struct Listener::Impl {
  Impl(ListenerOptions o, SessionHandler h) : options(std::move(o)), handler(std::move(h)), acceptor(io) {}

  asio::awaitable<void> accept_loop();
  // admit - count a new session from `address`; false when a cap is reached.
  bool admit(const std::string& address);
  void release(const std::string& address);

  ListenerOptions options;
  SessionHandler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::mutex mutex;
  int sessions = 0;
  std::map<std::string, int> per_address;
  bool started = false;
};

bool Listener::Impl::admit(const std::string& address) {
  std::lock_guard lock(mutex);
  if (sessions >= options.max_sessions) return false;
  int& mine = per_address[address];
  if (options.max_per_address > 0 && mine >= options.max_per_address) {
    if (mine == 0) per_address.erase(address);
    return false;
  }
  ++mine;
  ++sessions;
  return true;
}

void Listener::Impl::release(const std::string& address) {
  std::lock_guard lock(mutex);
  --sessions;
  if (--per_address[address] <= 0) per_address.erase(address);
}

asio::awaitable<void> Listener::Impl::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket(asio::make_strand(io));
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      log::warn(options.name + ": accept failed", {{"error", ec.message()}});
      continue;
    }
    std::string address = socket.remote_endpoint(ec).address().to_string();
    if (ec) continue;  // the client is already gone
    if (!admit(address)) {
      log::info(options.name + ": connection refused, too many sessions", {{"client", address}});
      auto executor = socket.get_executor();
      asio::co_spawn(executor, refuse(std::move(socket)), asio::detached);
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, handler(std::move(socket)), [this, address](std::exception_ptr ep) {
      release(address);
      if (ep) log::error(options.name + ": session failed", {{"client", address}, {"error", describe(ep)}});
    });
  }
}

Listener::Listener(ListenerOptions options, SessionHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Listener::~Listener() { stop(); }

Result<uint16_t> Listener::start(const std::string& host, uint16_t port) {
  const std::string& name = impl_->options.name;
  if (impl_->started) return fail(Errc::conflict, name + " already started");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return fail(Errc::invalid_argument, name + ": not an IP address: " + host);
  tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(Errc::unavailable,
                name + " cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  const uint16_t bound = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), [name](std::exception_ptr ep) {
    if (ep) log::error(name + ": accept loop failed", {{"error", describe(ep)}});
  });
  impl_->started = true;
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i)
    impl_->threads.emplace_back([impl = impl_.get()] { impl->io.run(); });
  log::info(name + " started", {{"address", host + ":" + std::to_string(bound)}});
  return bound;
}

void Listener::stop() {
  if (!impl_->started) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
  impl_->started = false;
}

}  // namespace tern::smtp
