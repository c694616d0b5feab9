// bounce_listener.cpp - the listener's accept loop and one coroutine per
// SMTP session (RFC 5321 server side, the subset a bounce needs).
#include "worker/bounce_listener.hpp"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <exception>
#include <vector>

#include "mailer/smtp/listener.hpp"
#include "mailer/smtp/server_command.hpp"
#include "mailer/smtp/server_io.hpp"
#include "store/util/log.hpp"
#include "worker/verp.hpp"

namespace tern::worker {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using smtp::Line;

smtp::ServerLimits limits_of(const BounceListenerOptions& o) {
  return smtp::ServerLimits{o.max_line_length, o.max_message_bytes, o.command_timeout, o.data_timeout};
}

}  // namespace

struct BounceListener::Impl {
  Impl(BounceSink& s, BounceListenerOptions o);

  BounceSink& sink;
  BounceListenerOptions options;
  smtp::ServerLimits limits;
  smtp::Listener listener;
};

namespace {

// Session - one connection's state; lives in its coroutine's frame.
class Session {
 public:
  Session(tcp::socket socket, BounceSink& sink, const BounceListenerOptions& options, const smtp::ServerLimits& limits)
      : socket_(std::move(socket)), deadline_(socket_), io_(deadline_, limits), sink_(sink), options_(options) {}

  asio::awaitable<void> run();

 private:
  asio::awaitable<Line> read_line() { return io_.read_line(socket_); }
  asio::awaitable<bool> reply(std::string_view text) { return io_.reply(socket_, text); }
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
  smtp::ServerIo io_;
  BounceSink& sink_;
  const BounceListenerOptions& options_;
  bool greeted_ = false;
  bool in_transaction_ = false;
  std::vector<std::string> email_ids_;  // one per accepted RCPT
  int errors_ = 0;
};

asio::awaitable<void> Session::run() {
  if (!co_await reply("220 " + options_.hostname + " ESMTP Tern bounce listener")) co_return;
  for (;;) {
    Line line = co_await read_line();
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
  smtp::DataResult data = co_await io_.read_data(socket_);
  if (data.status == smtp::DataResult::Status::too_long) co_await reply("500 5.5.2 Line too long");
  if (data.status == smtp::DataResult::Status::too_long || data.status == smtp::DataResult::Status::closed)
    co_return false;
  if (data.status == smtp::DataResult::Status::too_big) {
    reset();
    co_return co_await reply("552 5.3.4 Message size exceeds fixed maximum message size");
  }
  const std::string& message = data.message;
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

}  // namespace

BounceListener::Impl::Impl(BounceSink& s, BounceListenerOptions o)
    : sink(s),
      options(std::move(o)),
      limits(limits_of(options)),
      listener(smtp::ListenerOptions{"bounce listener", options.max_sessions, 0, 1},
               [this](tcp::socket socket) -> asio::awaitable<void> {
                 Session session(std::move(socket), sink, options, limits);
                 co_await session.run();
               }) {}

BounceListener::BounceListener(BounceSink& sink, BounceListenerOptions options)
    : impl_(std::make_unique<Impl>(sink, std::move(options))) {}

BounceListener::~BounceListener() { stop(); }

Result<uint16_t> BounceListener::start(const std::string& host, uint16_t port) {
  return impl_->listener.start(host, port);
}

void BounceListener::stop() { impl_->listener.stop(); }

}  // namespace tern::worker
