// bounce_listener.cpp - the listener's accept loop and one coroutine per
// SMTP session (RFC 5321 server side, the subset a bounce needs).
#include "worker/bounce_listener.hpp"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <atomic>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "mailer/smtp/server_command.hpp"
#include "mailer/smtp/session.hpp"
#include "store/util/log.hpp"
#include "worker/verp.hpp"

namespace tern::worker {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Line {
  enum class Status { ok, too_long, closed } status = Status::closed;
  std::string text;  // without CRLF
};

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

}  // namespace

struct BounceListener::Impl {
  Impl(BounceSink& s, BounceListenerOptions o) : sink(s), options(std::move(o)), acceptor(io) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket socket);

  BounceSink& sink;
  BounceListenerOptions options;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  std::atomic<int> sessions{0};
  bool started = false;
};

namespace {

// Session - one connection's state; lives in its coroutine's frame.
class Session {
 public:
  Session(tcp::socket socket, BounceSink& sink, const BounceListenerOptions& options)
      : socket_(std::move(socket)), deadline_(socket_), sink_(sink), options_(options) {}

  asio::awaitable<void> run();

 private:
  // read_line - the next line; arm=false when a longer deadline is armed.
  asio::awaitable<Line> read_line(bool arm);
  asio::awaitable<bool> reply(std::string_view text);
  // handle - one command; false ends the session.
  asio::awaitable<bool> handle(const smtp::ServerCommand& command);
  asio::awaitable<bool> mail(const std::string& argument);
  asio::awaitable<bool> rcpt(const std::string& argument);
  asio::awaitable<bool> data();
  std::string deliver(const std::string& message);
  void reset() {
    in_transaction_ = false;
    email_ids_.clear();
  }

  tcp::socket socket_;
  smtp::Deadline deadline_;
  BounceSink& sink_;
  const BounceListenerOptions& options_;
  std::string buffer_;
  bool greeted_ = false;
  bool in_transaction_ = false;
  std::vector<std::string> email_ids_;  // one per accepted RCPT
  int errors_ = 0;
};

asio::awaitable<Line> Session::read_line(bool arm) {
  std::array<char, 4096> chunk;
  for (;;) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      if (nl + 1 > options_.max_line_length) co_return Line{Line::Status::too_long, {}};
      Line line{Line::Status::ok, buffer_.substr(0, nl)};
      buffer_.erase(0, nl + 1);
      if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
      co_return line;
    }
    if (buffer_.size() >= options_.max_line_length) co_return Line{Line::Status::too_long, {}};
    boost::system::error_code ec;
    if (arm) deadline_.arm(options_.command_timeout);
    std::size_t n = co_await socket_.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (arm && deadline_.disarm()) co_return Line{Line::Status::closed, {}};
    if (ec) co_return Line{Line::Status::closed, {}};
    buffer_.append(chunk.data(), n);
  }
}

asio::awaitable<bool> Session::reply(std::string_view text) {
  std::string line = std::string(text) + "\r\n";
  boost::system::error_code ec;
  deadline_.arm(options_.command_timeout);
  co_await asio::async_write(socket_, asio::buffer(line), asio::redirect_error(asio::use_awaitable, ec));
  bool expired = deadline_.disarm();
  co_return !ec && !expired;
}

asio::awaitable<void> Session::run() {
  if (!co_await reply("220 " + options_.hostname + " ESMTP Tern bounce listener")) co_return;
  for (;;) {
    Line line = co_await read_line(true);
    if (line.status == Line::Status::closed) co_return;
    if (line.status == Line::Status::too_long) {
      co_await reply("500 5.5.2 Line too long");
      co_return;
    }
    if (!co_await handle(smtp::parse_server_command(line.text))) co_return;
    if (errors_ >= options_.max_errors) {
      co_await reply("421 4.7.0 Too many errors, closing connection");
      co_return;
    }
  }
}

asio::awaitable<bool> Session::handle(const smtp::ServerCommand& c) {
  if (c.verb == "EHLO") {
    greeted_ = true;
    reset();
    co_return co_await reply("250-" + options_.hostname + "\r\n250-PIPELINING\r\n250-SIZE " +
                             std::to_string(options_.max_message_bytes) +
                             "\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");
  }
  if (c.verb == "HELO") {
    greeted_ = true;
    reset();
    co_return co_await reply("250 " + options_.hostname);
  }
  if (c.verb == "MAIL") co_return co_await mail(c.argument);
  if (c.verb == "RCPT") co_return co_await rcpt(c.argument);
  if (c.verb == "DATA") co_return co_await data();
  if (c.verb == "RSET") {
    reset();
    co_return co_await reply("250 2.0.0 Ok");
  }
  if (c.verb == "NOOP") co_return co_await reply("250 2.0.0 Ok");
  if (c.verb == "QUIT") {
    co_await reply("221 2.0.0 Bye");
    co_return false;
  }
  if (c.verb == "VRFY") co_return co_await reply("252 2.5.2 Cannot VRFY user");
  ++errors_;
  co_return co_await reply("502 5.5.2 Command not implemented");
}

asio::awaitable<bool> Session::mail(const std::string& argument) {
  if (!greeted_) {
    ++errors_;
    co_return co_await reply("503 5.5.1 Send EHLO or HELO first");
  }
  if (in_transaction_) {
    ++errors_;
    co_return co_await reply("503 5.5.1 Nested MAIL command");
  }
  auto path = smtp::parse_path_argument(argument, "FROM");
  if (!path) {
    ++errors_;
    co_return co_await reply("501 5.1.7 Bad sender address syntax");
  }
  if (path->size && *path->size > options_.max_message_bytes)
    co_return co_await reply("552 5.3.4 Message size exceeds fixed maximum message size");
  in_transaction_ = true;
  co_return co_await reply("250 2.1.0 Ok");
}

asio::awaitable<bool> Session::rcpt(const std::string& argument) {
  if (!in_transaction_) {
    ++errors_;
    co_return co_await reply("503 5.5.1 Need MAIL command first");
  }
  auto path = smtp::parse_path_argument(argument, "TO");
  if (!path) {
    ++errors_;
    co_return co_await reply("501 5.1.3 Bad recipient address syntax");
  }
  auto email_id = parse_verp(path->path);
  if (!email_id) {
    ++errors_;
    co_return co_await reply("550 5.1.1 <" + path->path + ">: Recipient address rejected: not a Tern return path");
  }
  if (email_ids_.size() >= options_.max_recipients) co_return co_await reply("452 4.5.3 Too many recipients");
  email_ids_.push_back(*email_id);
  co_return co_await reply("250 2.1.5 Ok");
}

asio::awaitable<bool> Session::data() {
  if (!in_transaction_ || email_ids_.empty()) {
    ++errors_;
    co_return co_await reply("503 5.5.1 Need RCPT command first");
  }
  if (!co_await reply("354 End data with <CR><LF>.<CR><LF>")) co_return false;
  std::string message;
  bool too_big = false;
  deadline_.arm(options_.data_timeout);
  for (;;) {
    Line line = co_await read_line(false);
    if (line.status != Line::Status::ok) {
      deadline_.disarm();
      if (line.status == Line::Status::too_long) co_await reply("500 5.5.2 Line too long");
      co_return false;
    }
    if (line.text == ".") break;
    std::string_view text = line.text;
    if (!text.empty() && text.front() == '.') text.remove_prefix(1);  // RFC 5321 §4.5.2
    if (too_big) continue;
    if (message.size() + text.size() + 2 > options_.max_message_bytes) {
      too_big = true;
      std::string().swap(message);
      continue;
    }
    message.append(text).append("\r\n");
  }
  if (deadline_.disarm()) co_return false;
  if (too_big) {
    reset();
    co_return co_await reply("552 5.3.4 Message size exceeds fixed maximum message size");
  }
  std::string answer = deliver(message);
  reset();
  co_return co_await reply(answer);
}

// deliver - the parsed report to the sink once per VERP recipient; the reply.
std::string Session::deliver(const std::string& message) {
  auto report = mailer::parse_report(message);
  if (!report) {
    log::info("bounce listener: not a delivery or feedback report; dropped",
              {{"email_id", email_ids_.front()}, {"reason", report.error().message}});
    return "250 2.6.0 Ok, not a report; discarded";
  }
  bool retry = false;
  for (const auto& id : email_ids_) {
    try {
      if (auto r = sink_.on_report(id, *report); !r) {
        log::warn("bounce listener: report not recorded", {{"email_id", id}, {"error", r.error().message}});
        retry = true;
      }
    } catch (const std::exception& e) {
      log::error("bounce listener: sink threw", {{"email_id", id}, {"error", e.what()}});
      retry = true;
    }
  }
  return retry ? "451 4.3.0 Temporary failure recording the report; try again later" : "250 2.0.0 Ok";
}

asio::awaitable<void> refuse(tcp::socket socket) {
  static constexpr std::string_view kBusy = "421 4.3.2 Too many connections, try again later\r\n";
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(kBusy.data(), kBusy.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

asio::awaitable<void> BounceListener::Impl::serve(tcp::socket socket) {
  Session session(std::move(socket), sink, options);
  co_await session.run();
}

asio::awaitable<void> BounceListener::Impl::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      log::warn("bounce listener: accept failed", {{"error", ec.message()}});
      continue;
    }
    if (sessions.load() >= options.max_sessions) {
      asio::co_spawn(io, refuse(std::move(socket)), asio::detached);
      continue;
    }
    ++sessions;
    asio::co_spawn(io, serve(std::move(socket)), [this](std::exception_ptr ep) {
      --sessions;
      if (ep) log::error("bounce listener: session failed", {{"error", describe(ep)}});
    });
  }
}

BounceListener::BounceListener(BounceSink& sink, BounceListenerOptions options)
    : impl_(std::make_unique<Impl>(sink, std::move(options))) {}

BounceListener::~BounceListener() { stop(); }

Result<uint16_t> BounceListener::start(const std::string& host, uint16_t port) {
  if (impl_->started) return fail(Errc::conflict, "bounce listener already started");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return fail(Errc::invalid_argument, "bounce listener: not an IP address: " + host);
  tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(Errc::unavailable, "bounce listener cannot listen on " + host + ":" + std::to_string(port) +
                                             ": " + ec.message());
  const uint16_t bound = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), [](std::exception_ptr ep) {
    if (ep) log::error("bounce listener: accept loop failed", {{"error", describe(ep)}});
  });
  impl_->started = true;
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
  log::info("bounce listener started", {{"address", host + ":" + std::to_string(bound)}});
  return bound;
}

void BounceListener::stop() {
  if (!impl_->started) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->started = false;
}

}  // namespace tern::worker
