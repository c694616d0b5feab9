// listener.hpp - the accept side of Tern's SMTP servers (bounce listener,
// submission): one TCP listener, its own io_context run by `threads`
// threads, and one coroutine per connection on a strand of its own.
//
// Promises:
//   - past max_sessions open sessions, or max_per_address from one client
//     IP address (0 = no per-address cap), a new connection is answered
//     "421 4.3.2 Too many connections, try again later" and closed;
//   - a session's exception is caught at its root and logged with the
//     listener's name and the peer address;
//   - stop() closes the listener, ends every session and joins the threads.
// The handler runs on the session's strand: a session may block (a Redis
// call) without stalling others as long as threads > 1.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "store/util/result.hpp"

namespace tern::smtp {

struct ListenerOptions {
  std::string name = "smtp listener";  // in log lines
  int max_sessions = 50;
  int max_per_address = 0;  // 0 = no cap
  int threads = 1;
};

using SessionHandler = std::function<boost::asio::awaitable<void>(boost::asio::ip::tcp::socket)>;

class Listener {
 public:
  Listener(ListenerOptions options, SessionHandler handler);
  ~Listener();  // stop()
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // start - listen on host:port (0 = any free port); the port bound.
  // Errc::invalid_argument for a host that is not an IP address,
  // Errc::unavailable when it cannot listen.
  Result<uint16_t> start(const std::string& host, uint16_t port);
  // stop - safe to call twice.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::smtp
