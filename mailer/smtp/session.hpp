// session.hpp - the SMTP client session as one C++20 coroutine (Asio).
//
// run_session() walks one transaction straight through: connect, 220
// greeting, EHLO (HELO fallback on 5xx), STARTTLS per TlsMode (then EHLO
// again, old capabilities dropped), MAIL, one RCPT per recipient (MAIL and
// RCPTs in one write when PIPELINING is offered), DATA only when some RCPT
// got 2xx, the dot-stuffed message, the final reply, QUIT.
// client.hpp's send_transaction is its blocking wrapper. connection.hpp
// holds the open connection the steps below run on, so that a connection
// can carry several transactions (connection_cache.hpp).
//
// The command/reply steps are templates over the stream (Chat<Stream>), so
// the same code runs on a plain tcp::socket and on ssl::stream<tcp::socket&>.
//
// Timeouts: every step arms a Deadline with its own duration from
// SmtpTimeouts (a per-reply deadline, not per read, so a peer dribbling bytes
// cannot hold the session); on expiry the socket is closed and the step
// reports "timeout waiting for reply to RCPT TO" and the like. Replies are
// bounded by ReplyParser's limits, so a flooding peer cannot grow memory.
//
// Outcomes (never thrown; all land in TransactionResult):
//   - I/O failure, timeout, TLS failure, protocol garbage -> network_error,
//     connection dropped without QUIT;
//   - 421 anywhere -> session_reply, connection dropped without QUIT (a 421
//     to RCPT is also recorded in `recipients`, a 421 after the dot also in
//     data_end_reply);
//   - any other unwanted reply to greeting, EHLO/HELO, MAIL or DATA ->
//     session_reply, then QUIT;
//   - enforced TLS and STARTTLS not offered/refused -> network_error, QUIT.
// Local refusals are synthesized as replies whose text reads "x.y.z (local)
// ...": a
// recipient address that cannot be sent (501 5.1.3) or needs SMTPUTF8 the
// server lacks (553 5.6.7); the same for the sender as session_reply (501
// 5.1.7 / 553 5.6.7); a message above the server's SIZE (552 5.3.4).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <optional>
#include <vector>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/error.hpp>

#include "mailer/smtp/capabilities.hpp"
#include "mailer/smtp/client.hpp"
#include "mailer/smtp/command.hpp"
#include "mailer/smtp/reply_parser.hpp"
#include "store/util/config.hpp"
#include "store/util/result.hpp"

namespace tern::smtp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// run_session - one connection, one transaction, on the calling coroutine's
// executor (connection.cpp). Fills `result`; never throws (bad_alloc aside).
asio::awaitable<void> run_session(const Endpoint& endpoint, const TransactionRequest& request,
                                  TransactionResult& result);

// run_to_completion - run `task` on `io` (on the calling thread) until it and
// everything it started are done; an escaping exception becomes
// result.network_error.
void run_to_completion(asio::io_context& io, asio::awaitable<void> task, TransactionResult& result);

// Deadline - one timer per connection. arm() before an I/O step, disarm()
// after it; if the step outlives its time the socket is closed, making the
// pending operation fail. A generation counter keeps a late timer wake-up
// from hitting the next step; the shared state keeps one arriving after the
// Deadline is gone from touching anything.
class Deadline {
 public:
  explicit Deadline(tcp::socket& socket);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void arm(Millis timeout);
  bool disarm();  // true when the step ran out of time

 private:
  struct State {
    tcp::socket* socket = nullptr;
    uint64_t generation = 0;
    bool expired = false;
  };
  std::shared_ptr<State> state_;
  asio::steady_timer timer_;
};

// Chat - commands out and replies in over one stream, each under a deadline.
// Error texts are complete sentences for network_error.
template <class Stream>
class Chat {
 public:
  Chat(Stream& stream, Deadline& deadline, ReplyParser& parser)
      : stream_(stream), deadline_(deadline), parser_(parser) {}

  // read_reply - one complete reply; `awaited` names it ("greeting", "reply to EHLO").
  asio::awaitable<Result<Reply>> read_reply(Millis timeout, std::string_view awaited) {
    deadline_.arm(timeout);
    Result<Reply> outcome = co_await read_until_reply(awaited);
    if (deadline_.disarm()) co_return fail(Errc::unavailable, "timeout waiting for " + std::string(awaited));
    co_return outcome;
  }

  // write - all bytes; `what` names them ("RCPT TO", "message data").
  asio::awaitable<Result<void>> write(std::string_view bytes, Millis timeout, std::string_view what) {
    boost::system::error_code ec;
    deadline_.arm(timeout);
    co_await asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (deadline_.disarm()) co_return fail(Errc::unavailable, "timeout sending " + std::string(what));
    if (ec) co_return fail(Errc::unavailable, "write error sending " + std::string(what) + ": " + ec.message());
    co_return Result<void>{};
  }

  // command - write one command line, then read its reply.
  asio::awaitable<Result<Reply>> command(std::string_view line, Millis timeout, std::string_view name) {
    Result<void> sent = co_await write(line, timeout, name);
    if (!sent) co_return tl::unexpected(sent.error());
    co_return co_await read_reply(timeout, "reply to " + std::string(name));
  }

  // reply_to - the reply to a command: `line` is written first unless it
  // already went out in a pipelined batch.
  asio::awaitable<Result<Reply>> reply_to(std::string_view line, bool already_sent, Millis timeout,
                                          std::string_view name) {
    if (already_sent) co_return co_await read_reply(timeout, "reply to " + std::string(name));
    co_return co_await command(line, timeout, name);
  }

  ReplyParser& parser() { return parser_; }

 private:
  asio::awaitable<Result<Reply>> read_until_reply(std::string_view awaited) {
    for (;;) {
      Result<std::optional<Reply>> parsed = parser_.next();
      if (!parsed) {
        co_return fail(Errc::protocol, "protocol error in " + std::string(awaited) + ": " + parsed.error().message);
      }
      if (*parsed) co_return std::move(**parsed);
      boost::system::error_code ec;
      std::size_t n = co_await stream_.async_read_some(asio::buffer(buffer_),
                                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::eof) {
        co_return fail(Errc::unavailable, "connection closed by peer while waiting for " + std::string(awaited));
      }
      if (ec) co_return fail(Errc::unavailable, "read error waiting for " + std::string(awaited) + ": " + ec.message());
      parser_.feed(std::string_view(buffer_.data(), n));
    }
  }

  Stream& stream_;
  Deadline& deadline_;
  ReplyParser& parser_;
  std::array<char, 4096> buffer_{};
};

// Flow - how a step leaves the session.
enum class Flow {
  proceed,  // go on to the next step
  quit,     // the transaction is over; say QUIT politely
  drop,     // the connection is unusable (I/O failure, 421): just close
};

// SessionContext - what every step reads and fills.
struct SessionContext {
  const Endpoint& endpoint;
  const TransactionRequest& request;
  TransactionResult& result;
  Capabilities caps;
};

// judge - settle one reply: proceed when its class (2, 3) is the wanted one,
// otherwise record why the transaction ends and how to leave.
Flow judge(TransactionResult& result, const Result<Reply>& reply, int wanted_class);

// local_reply - a reply Tern made up itself ("5.1.3 (local) text").
Reply local_reply(int code, EnhancedCode enhanced, std::string_view text);

// greet - EHLO, or HELO when EHLO gets a 5xx; sets ctx.caps.
template <class Stream>
asio::awaitable<Flow> greet(Chat<Stream>& chat, SessionContext& ctx) {
  ctx.result.stage = Stage::ehlo;
  ctx.caps = Capabilities{};
  Result<std::string> ehlo = ehlo_command(ctx.request.helo_name);
  if (!ehlo) {
    ctx.result.network_error = "cannot send EHLO: " + ehlo.error().message;
    co_return Flow::quit;
  }
  Result<Reply> reply = co_await chat.command(*ehlo, ctx.request.timeouts.ehlo, "EHLO");
  if (reply && reply->code / 100 == 2) {
    ctx.caps = parse_capabilities(*reply);
    co_return Flow::proceed;
  }
  if (!reply || !reply->permanent()) co_return judge(ctx.result, reply, 2);
  reply = co_await chat.command(*helo_command(ctx.request.helo_name), ctx.request.timeouts.ehlo, "HELO");
  co_return judge(ctx.result, reply, 2);
}

// mail_from_line - the MAIL command, with SIZE/SMTPUTF8 parameters when
// offered; std::nullopt after recording a local session_reply (too big for
// SIZE, sender needs SMTPUTF8, unsendable sender).
std::optional<std::string> mail_from_line(SessionContext& ctx, std::size_t payload_size);

// rcpt_line - the RCPT command, or empty after setting `refusal` to a local
// reply (unsendable address, or one that needs SMTPUTF8 the server lacks).
std::string rcpt_line(const SessionContext& ctx, const std::string& recipient, std::optional<Reply>& refusal);

// send_envelope - MAIL, then one RCPT per recipient; every reply is kept in
// envelope order. With PIPELINING (RFC 2920) MAIL and all RCPTs go out in one
// write and the replies are read in order, each under its own deadline;
// DATA is never pipelined, so it is only sent once a recipient was accepted.
template <class Stream>
asio::awaitable<Flow> send_envelope(Chat<Stream>& chat, SessionContext& ctx, std::size_t payload_size) {
  ctx.result.stage = Stage::mail_from;
  const SmtpTimeouts& timeouts = ctx.request.timeouts;
  const std::vector<std::string>& recipients = ctx.request.envelope.recipients;
  std::optional<std::string> mail = mail_from_line(ctx, payload_size);
  if (!mail) co_return Flow::quit;
  std::vector<std::optional<Reply>> replies(recipients.size());
  std::vector<std::string> lines(recipients.size());
  std::string batch = *mail;
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    lines[i] = rcpt_line(ctx, recipients[i], replies[i]);
    batch += lines[i];
  }
  const bool pipelined = ctx.caps.pipelining;
  if (pipelined) {
    Result<void> sent = co_await chat.write(batch, timeouts.mail, "MAIL FROM and RCPT TO");
    if (!sent) co_return judge(ctx.result, tl::unexpected(sent.error()), 2);
  }
  Result<Reply> mail_reply = co_await chat.reply_to(*mail, pipelined, timeouts.mail, "MAIL FROM");
  Flow flow = judge(ctx.result, mail_reply, 2);
  if (flow == Flow::proceed) ctx.result.stage = Stage::rcpt_to;
  for (std::size_t i = 0; i < recipients.size() && flow != Flow::drop; ++i) {
    if (lines[i].empty() || (flow == Flow::quit && !pipelined)) continue;
    Result<Reply> reply = co_await chat.reply_to(lines[i], pipelined, timeouts.rcpt, "RCPT TO");
    if (flow == Flow::quit) {  // MAIL was refused: only draining the pipelined replies
      if (!reply) flow = Flow::drop;
      continue;
    }
    if (reply) replies[i] = *reply;
    if (!reply || reply->code == 421) flow = judge(ctx.result, reply, 2);
  }
  if (ctx.result.stage == Stage::rcpt_to) {
    for (std::size_t i = 0; i < recipients.size(); ++i) {
      if (replies[i]) ctx.result.recipients.push_back({recipients[i], std::move(*replies[i])});
    }
  }
  co_return flow;
}

// send_data - DATA, the payload in blocks, and the reply to the final dot.
template <class Stream>
asio::awaitable<Flow> send_data(Chat<Stream>& chat, SessionContext& ctx, std::string_view payload) {
  ctx.result.stage = Stage::data;
  const SmtpTimeouts& timeouts = ctx.request.timeouts;
  Flow flow = judge(ctx.result, co_await chat.command(kDataCommand, timeouts.data_init, "DATA"), 3);
  if (flow != Flow::proceed) co_return flow;
  ctx.result.stage = Stage::data_end;
  constexpr std::size_t kBlock = 64 * 1024;  // RFC 5321 §4.5.3.2.5: a timeout per block sent
  for (std::size_t offset = 0; offset < payload.size(); offset += kBlock) {
    Result<void> sent = co_await chat.write(payload.substr(offset, kBlock), timeouts.data_block, "message data");
    if (!sent) co_return judge(ctx.result, tl::unexpected(sent.error()), 2);
  }
  Result<Reply> reply = co_await chat.read_reply(timeouts.data_end, "reply to end of data");
  if (!reply) co_return judge(ctx.result, reply, 2);
  ctx.result.data_end_reply = *reply;
  if (reply->code == 421) co_return judge(ctx.result, reply, 2);
  co_return Flow::quit;
}

// mail_transaction - MAIL, RCPT..., DATA (only with an accepted recipient).
template <class Stream>
asio::awaitable<Flow> mail_transaction(Chat<Stream>& chat, SessionContext& ctx, std::string_view payload) {
  Flow flow = co_await send_envelope(chat, ctx, payload.size());
  if (flow != Flow::proceed) co_return flow;
  bool any_accepted = false;
  for (const RecipientReply& r : ctx.result.recipients) any_accepted = any_accepted || r.reply.code / 100 == 2;
  if (!any_accepted) co_return Flow::quit;
  co_return co_await send_data(chat, ctx, payload);
}

// say_quit - QUIT and its reply; failures are of no interest any more. The
// stage moves to quit only when nothing ended the transaction early, so a
// session_reply or network_error keeps the stage it came from.
template <class Stream>
asio::awaitable<void> say_quit(Chat<Stream>& chat, SessionContext& ctx) {
  if (!ctx.result.session_reply && !ctx.result.network_error) ctx.result.stage = Stage::quit;
  co_await chat.command(kQuitCommand, ctx.request.timeouts.quit, "QUIT");
}

}  // namespace tern::smtp
