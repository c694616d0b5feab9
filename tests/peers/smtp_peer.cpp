// smtp_peer.cpp - the scriptable SMTP test server (see smtp_peer.hpp).
//
// One io_context on one thread; each connection is a coroutine. Exceptions
// are the error path here (a test tool): any I/O failure ends that
// connection's coroutine, which closes the socket.
#include "tests/peers/smtp_peer.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <stdlib.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "tests/peers/test_tls.hpp"

namespace tern::testing {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Millis = std::chrono::milliseconds;

constexpr std::size_t kMaxLine = 1 << 20;  // the peer's own bound on a client line

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// angle_path - the text between '<' and '>' of a MAIL/RCPT argument.
std::string angle_path(const std::string& line) {
  std::size_t open = line.find('<');
  std::size_t close = open == std::string::npos ? open : line.find('>', open);
  if (close == std::string::npos) return "";
  return line.substr(open + 1, close - open - 1);
}

std::string local_part(const std::string& address) { return lower(address.substr(0, address.rfind('@'))); }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tern-smtp-peer-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("smtp peer: mkdtemp failed");
  return pattern;
}

// RcptAction - what the peer does with one RCPT, from the local part.
struct RcptAction {
  int code = 250;
  std::string enhanced = "2.1.5";
  std::string text = "OK";
  Millis delay{0};
  bool close = false;
};

}  // namespace

struct SmtpPeer::Impl {
  struct Conn {
    std::size_t index = 0;
    std::string helo;
    std::optional<std::string> mail_from;
    std::vector<std::string> rcpts;
    std::string buffer;  // bytes read past the current line
    bool tls = false;
    bool refusing = false;  // non-2xx greeting: everything but QUIT gets 503
    int accepted = 0;       // messages accepted on this connection
  };

  SmtpPeerOptions options;
  std::optional<ssl::context> tls;
  std::string temp_dir;
  std::string ca_file;
  uint16_t port = 0;

  mutable std::mutex mu;
  mutable std::condition_variable changed;
  std::vector<ReceivedMessage> messages;
  std::vector<std::vector<std::string>> transcripts;
  std::size_t closed = 0;
  std::set<std::string> seen_once;

  asio::io_context io;  // after everything its coroutines touch, so it is destroyed first
  tcp::acceptor acceptor{io};
  std::thread thread;

  std::string reply(int code, std::string_view enhanced, std::string_view text, bool more = false) const {
    std::string line = std::to_string(code) + (more ? "-" : " ");
    if (options.enhanced_status_codes && !enhanced.empty()) line += std::string(enhanced) + " ";
    return line + std::string(text) + "\r\n";
  }

  bool first_time(const std::string& key) {
    std::lock_guard lock(mu);
    return seen_once.insert(key).second;
  }

  void record_line(const Conn& c, const std::string& line) {
    std::lock_guard lock(mu);
    transcripts[c.index].push_back(line);
  }

  RcptAction rcpt_action(const std::string& address) {
    std::string local = local_part(address);
    RcptAction a;
    if (local == "bounce" || local == "550") {
      a = {550, "5.1.1", "<" + address + ">: user unknown"};
    } else if (local == "tempfail" || local == "451") {
      a = {451, "4.3.0", "<" + address + ">: try again later"};
    } else if (starts_with(local, "tempfail-once-") && first_time("rcpt:" + address)) {
      a = {451, "4.3.0", "<" + address + ">: try again later (once)"};
    } else if (local == "421") {
      a = {421, "4.3.2", "closing connection"};
      a.close = true;
    } else if (local.size() == 3 && all_digits(local)) {
      int code = std::stoi(local);
      a = {code, std::string(1, local[0]) + ".0.0", "scripted reply"};
    } else if (starts_with(local, "delay-") && all_digits(local.substr(6))) {
      a.delay = Millis(std::stol(local.substr(6)));
    }
    return a;
  }

  asio::awaitable<void> pause(const std::string& key) {
    auto it = options.delays.find(key);
    if (it != options.delays.end()) co_await wait(it->second);
  }

  asio::awaitable<void> wait(Millis delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
  }

  template <class Stream>
  asio::awaitable<void> send(Stream& stream, std::string text) {
    co_await asio::async_write(stream, asio::buffer(text), asio::use_awaitable);
  }

  template <class Stream>
  asio::awaitable<std::string> read_line(Stream& stream, Conn& c) {
    std::size_t n = co_await asio::async_read_until(stream, asio::dynamic_buffer(c.buffer, kMaxLine), "\r\n",
                                                    asio::use_awaitable);
    std::string line = c.buffer.substr(0, n - 2);
    c.buffer.erase(0, n);
    co_return line;
  }

  template <class Stream>
  asio::awaitable<void> ehlo(Stream& stream, Conn& c, const std::string& line) {
    if (!options.esmtp) co_return co_await send(stream, reply(502, "5.5.1", "EHLO not supported"));
    c.helo = line.size() > 5 ? line.substr(5) : "";
    co_await pause("EHLO");
    if (options.ehlo_flood == SmtpFlood::endless_multiline) {
      std::string chunk;
      for (int i = 0; i < 100; ++i) chunk += "250-flood line that never ends\r\n";
      for (;;) co_await send(stream, chunk);  // until the client hangs up
    }
    if (options.ehlo_flood == SmtpFlood::huge_line) {
      co_await send(stream, "250-" + std::string(1536 * 1024, 'x') + "\r\n");
    }
    std::vector<std::string> lines = {"localhost greets " + c.helo, "8BITMIME"};
    if (options.pipelining) lines.push_back("PIPELINING");
    if (options.enhanced_status_codes) lines.push_back("ENHANCEDSTATUSCODES");
    if (options.size_limit) lines.push_back("SIZE " + std::to_string(*options.size_limit));
    if (options.starttls && !c.tls) lines.push_back("STARTTLS");
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      text += "250" + std::string(i + 1 < lines.size() ? "-" : " ") + lines[i] + "\r\n";
    }
    co_await send(stream, text);
  }

  // rcpt - returns false when the connection must end.
  template <class Stream>
  asio::awaitable<bool> rcpt(Stream& stream, Conn& c, const std::string& line) {
    if (!c.mail_from) {
      co_await send(stream, reply(503, "5.5.1", "MAIL first"));
      co_return true;
    }
    std::string address = angle_path(line);
    RcptAction action = rcpt_action(address);
    co_await pause("RCPT");
    if (action.delay.count() > 0) co_await wait(action.delay);
    co_await send(stream, reply(action.code, action.enhanced, action.text));
    if (action.code / 100 == 2) c.rcpts.push_back(address);
    co_return !action.close;
  }

  // data - DATA, the message and the verdict after the dot; false ends the connection.
  template <class Stream>
  asio::awaitable<bool> data(Stream& stream, Conn& c) {
    if (!c.mail_from || c.rcpts.empty()) {
      co_await send(stream, reply(554, "5.5.1", "no valid recipients"));
      co_return true;
    }
    co_await pause("DATA");
    co_await send(stream, reply(354, "", "End data with <CR><LF>.<CR><LF>"));
    std::string body;
    for (;;) {
      std::string line = co_await read_line(stream, c);
      if (line == ".") break;
      body += starts_with(line, ".") ? line.substr(1) : line;
      body += "\r\n";
    }
    co_await pause("dot");
    std::string verdict;
    for (const std::string& r : c.rcpts) {
      std::string local = local_part(r);
      if (local == "disconnect-in-data") co_return false;
      if (local == "data-550") verdict = reply(550, "5.6.0", "message content rejected");
      if (starts_with(local, "data-451-once-") && verdict.empty() && first_time("data:" + r)) {
        verdict = reply(451, "4.3.0", "try again later (once)");
      }
    }
    if (verdict.empty()) {
      {
        std::lock_guard lock(mu);
        messages.push_back({c.helo, *c.mail_from, c.rcpts, std::move(body), c.tls});
      }
      changed.notify_all();
      verdict = reply(250, "2.0.0", "OK queued");
    }
    c.mail_from.reset();
    c.rcpts.clear();
    co_await send(stream, verdict);
    if (verdict[0] == '2') ++c.accepted;
    // An idle timeout, as a real server's: the connection just ends.
    co_return options.close_after_messages == 0 || c.accepted < options.close_after_messages;
  }

  // command_loop - serve commands until QUIT or a fault; true means
  // STARTTLS was accepted and the caller must switch to TLS.
  template <class Stream>
  asio::awaitable<bool> command_loop(Stream& stream, Conn& c) {
    for (;;) {
      std::string line = co_await read_line(stream, c);
      record_line(c, line);
      std::string verb = upper(line.substr(0, line.find(' ')));
      if (verb == "QUIT") {
        co_await pause("QUIT");
        co_await send(stream, reply(221, "2.0.0", "Bye"));
        co_return false;
      }
      if (c.refusing) {
        co_await send(stream, reply(503, "5.5.1", "no service, only QUIT"));
      } else if (verb == "EHLO") {
        co_await ehlo(stream, c, line);
      } else if (verb == "HELO") {
        c.helo = line.size() > 5 ? line.substr(5) : "";
        co_await pause("HELO");
        co_await send(stream, "250 localhost\r\n");
      } else if (verb == "STARTTLS" && options.starttls && !c.tls) {
        co_await pause("STARTTLS");
        std::string ready = reply(220, "2.0.0", "Ready to start TLS");
        if (options.inject_after_starttls) ready += reply(250, "2.0.0", "injected");
        co_await send(stream, ready);
        c.buffer.clear();
        co_return true;
      } else if (verb == "STARTTLS") {
        co_await send(stream, reply(454, "4.7.0", "TLS not available"));
      } else if (verb == "MAIL") {
        c.mail_from = angle_path(line);
        c.rcpts.clear();
        co_await pause("MAIL");
        if (local_part(*c.mail_from) == "reject-sender") {
          c.mail_from.reset();
          co_await send(stream, reply(550, "5.7.1", "sender rejected"));
        } else {
          co_await send(stream, reply(250, "2.1.0", "OK"));
        }
      } else if (verb == "RCPT") {
        if (!co_await rcpt(stream, c, line)) co_return false;
      } else if (verb == "DATA") {
        if (!co_await data(stream, c)) co_return false;
      } else if (verb == "RSET" || verb == "NOOP") {
        if (verb == "RSET") c.mail_from.reset(), c.rcpts.clear();
        co_await send(stream, reply(250, "2.0.0", "OK"));
      } else {
        co_await send(stream, reply(500, "5.5.2", "command not recognized"));
      }
    }
  }

  asio::awaitable<void> greet_and_serve(tcp::socket& socket, Conn& c) {
    co_await pause("greeting");
    int code = options.greeting_code;
    std::string text = code / 100 == 2 ? (options.esmtp ? "localhost ESMTP Tern test peer" : "localhost Tern test peer")
                                       : "localhost no SMTP service here";
    co_await send(socket, std::to_string(code) + " " + text + "\r\n");
    if (code == 421) co_return;
    c.refusing = code / 100 != 2;
    if (!co_await command_loop(socket, c)) co_return;
    ssl::stream<tcp::socket&> secure(socket, *tls);
    co_await secure.async_handshake(ssl::stream_base::server, asio::use_awaitable);
    c.tls = true;
    co_await command_loop(secure, c);
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    Conn c;
    {
      std::lock_guard lock(mu);
      c.index = transcripts.size();
      transcripts.emplace_back();
    }
    try {
      co_await greet_and_serve(socket, c);
    } catch (const std::exception&) {
      // The client hung up or sent nonsense: for a test peer that just ends the connection.
    }
    boost::system::error_code ignored;
    socket.close(ignored);
    {
      std::lock_guard lock(mu);
      ++closed;
    }
    changed.notify_all();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (!ec) asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }
};

SmtpPeer::SmtpPeer(SmtpPeerOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.options = std::move(options);
  if (impl.options.starttls) {
    impl.temp_dir = make_temp_dir();
    TestPki pki = make_test_pki(impl.temp_dir);
    impl.tls.emplace(ssl::context::tls_server);
    impl.tls->use_certificate_chain(asio::buffer(pki.server_cert_pem));
    impl.tls->use_private_key(asio::buffer(pki.server_key_pem), ssl::context::pem);
    impl.ca_file = pki.ca_file;
  }
  tcp::endpoint listen_on(asio::ip::make_address("127.0.0.1"), 0);
  impl.acceptor.open(listen_on.protocol());
  impl.acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl.acceptor.bind(listen_on);
  impl.acceptor.listen();
  impl.port = impl.acceptor.local_endpoint().port();
  asio::co_spawn(impl.io, impl.accept_loop(), asio::detached);
  impl.thread = std::thread([&impl] { impl.io.run(); });
}

SmtpPeer::~SmtpPeer() {
  stop();
  if (!impl_->temp_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(impl_->temp_dir, ignored);
  }
}

uint16_t SmtpPeer::port() const { return impl_->port; }

const std::string& SmtpPeer::ca_file() const { return impl_->ca_file; }

void SmtpPeer::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->io.stop();
  impl_->thread.join();
}

std::vector<ReceivedMessage> SmtpPeer::messages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->messages;
}

bool SmtpPeer::wait_for_messages(std::size_t n, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_until(lock, deadline, [&] { return impl_->messages.size() >= n; });
}

bool SmtpPeer::wait_for_messages(std::size_t n, std::chrono::milliseconds timeout) const {
  return wait_for_messages(n, std::chrono::steady_clock::now() + timeout);
}

std::vector<std::vector<std::string>> SmtpPeer::transcripts() const {
  std::lock_guard lock(impl_->mu);
  return impl_->transcripts;
}

bool SmtpPeer::wait_for_closed(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->closed >= n; });
}

}  // namespace tern::testing
