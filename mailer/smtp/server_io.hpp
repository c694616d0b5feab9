// server_io.hpp - the byte-level half of an SMTP server session (RFC 5321
// server side), shared by the bounce listener and the submission server:
// bounded command lines, replies, and the DATA phase, each under a Deadline.
//
// Promises:
//   - read_line never buffers more than max_line_length octets: a longer
//     line is reported as too_long (the caller answers 500 5.5.2 and closes);
//   - with arm=true a line not complete within command_timeout closes the
//     socket and reads as closed (RFC 5321 §4.5.3.2.7);
//   - read_data reads up to the lone "." under one data_timeout for the
//     whole phase, removes dot-stuffing (§4.5.2), ends every line with CRLF
//     and keeps at most max_message_bytes: beyond that it reads on and
//     discards, so the session stays in step, and reports too_big;
//   - discard_buffered drops what the client sent ahead: after STARTTLS the
//     plaintext read before the handshake must never be taken as commands
//     sent under TLS (CVE-2011-0411).
// Templated on the stream so the same code serves a plain socket and an
// ssl::stream; the Deadline always closes the underlying TCP socket.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "mailer/smtp/session.hpp"
#include "store/util/config.hpp"

namespace tern::smtp {

struct ServerLimits {
  std::size_t max_line_length = 1000;  // octets with CRLF (RFC 5321 §4.5.3.1.6)
  std::size_t max_message_bytes = 10 * 1024 * 1024;
  Millis command_timeout{std::chrono::minutes(5)};  // RFC 5321 §4.5.3.2.7
  Millis data_timeout{std::chrono::minutes(10)};    // the whole DATA phase
};

struct Line {
  enum class Status { ok, too_long, closed } status = Status::closed;
  std::string text;  // without CRLF
};

struct DataResult {
  enum class Status { ok, too_big, too_long, closed } status = Status::closed;
  std::string message;  // CRLF lines, dot-stuffing removed; empty unless ok
};

class ServerIo {
 public:
  ServerIo(Deadline& deadline, const ServerLimits& limits) : deadline_(deadline), limits_(limits) {}

  // read_line - the next line; arm=false when the caller armed a longer deadline.
  template <class Stream>
  asio::awaitable<Line> read_line(Stream& stream, bool arm = true) {
    std::array<char, 4096> chunk;
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        if (nl + 1 > limits_.max_line_length) co_return Line{Line::Status::too_long, {}};
        Line line{Line::Status::ok, buffer_.substr(0, nl)};
        buffer_.erase(0, nl + 1);
        if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
        co_return line;
      }
      if (buffer_.size() >= limits_.max_line_length) co_return Line{Line::Status::too_long, {}};
      boost::system::error_code ec;
      if (arm) deadline_.arm(limits_.command_timeout);
      std::size_t n = co_await stream.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
      if (arm && deadline_.disarm()) co_return Line{Line::Status::closed, {}};
      if (ec) co_return Line{Line::Status::closed, {}};
      buffer_.append(chunk.data(), n);
    }
  }

  // reply - text (one or more lines joined by CRLF) plus the final CRLF; false on failure.
  template <class Stream>
  asio::awaitable<bool> reply(Stream& stream, std::string_view text) {
    std::string line = std::string(text) + "\r\n";
    boost::system::error_code ec;
    deadline_.arm(limits_.command_timeout);
    co_await asio::async_write(stream, asio::buffer(line), asio::redirect_error(asio::use_awaitable, ec));
    bool expired = deadline_.disarm();
    co_return !ec && !expired;
  }

  // read_data - the message after "354", up to the lone ".".
  template <class Stream>
  asio::awaitable<DataResult> read_data(Stream& stream) {
    DataResult result{DataResult::Status::ok, {}};
    deadline_.arm(limits_.data_timeout);
    for (;;) {
      Line line = co_await read_line(stream, false);
      if (line.status != Line::Status::ok) {
        deadline_.disarm();
        co_return DataResult{line.status == Line::Status::too_long ? DataResult::Status::too_long
                                                                    : DataResult::Status::closed,
                             {}};
      }
      if (line.text == ".") break;
      std::string_view text = line.text;
      if (!text.empty() && text.front() == '.') text.remove_prefix(1);  // RFC 5321 §4.5.2
      if (result.status == DataResult::Status::too_big) continue;
      if (result.message.size() + text.size() + 2 > limits_.max_message_bytes) {
        result.status = DataResult::Status::too_big;
        std::string().swap(result.message);
        continue;
      }
      result.message.append(text).append("\r\n");
    }
    if (deadline_.disarm()) co_return DataResult{DataResult::Status::closed, {}};
    co_return result;
  }

  bool has_buffered() const { return !buffer_.empty(); }
  void discard_buffered() { buffer_.clear(); }

 private:
  Deadline& deadline_;
  const ServerLimits& limits_;
  std::string buffer_;
};

}  // namespace tern::smtp
