// reply_parser.hpp - incremental parser for SMTP replies (RFC 5321 §4.2).
//
// Feed it bytes as they arrive; take complete Reply values out. A reply is
// one or more lines "ddd-text" ending with "ddd text" or a bare "ddd"; every
// line carries the same code. An RFC 3463 enhanced code ("5.1.1 ") at the start
// of the first line's text is extracted into Reply::enhanced and also left in
// the text.
//
// Promises: memory stays bounded. A line longer than Limits::max_line_octets
// (CRLF included) or a reply with more than Limits::max_lines lines is a
// protocol error as soon as it is seen, never buffered to the end. A bare LF
// is accepted as a line end (lenient reader); the CR before it is dropped.
//
// Errors (Errc::protocol), sticky: once next() has returned an error the
// parser stays failed. Causes: a line that does not start with a 3-digit code
// 2xx..5xx followed by ' ', '-' or the line end; a code that changes inside a
// multi-line reply; a line or reply over the limits.
//
// Pure: no I/O, no Asio.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "mailer/smtp/reply.hpp"
#include "store/util/result.hpp"

namespace tern::smtp {

class ReplyParser {
 public:
  struct Limits {
    std::size_t max_line_octets = 1000;  // RFC 5321 §4.5.3.1.6: 998 + CRLF
    std::size_t max_lines = 100;
  };

  ReplyParser() = default;
  explicit ReplyParser(Limits limits) : limits_(limits) {}

  // feed - append received bytes and parse every complete line in them.
  void feed(std::string_view bytes);

  // next - the oldest complete reply, std::nullopt when more bytes are
  // needed, or the error that stopped parsing.
  Result<std::optional<Reply>> next();

  // idle - nothing buffered: no partial line, no partial or queued reply.
  // After the 220 to STARTTLS the parser must be idle; anything else is
  // response injection.
  bool idle() const;

 private:
  void parse_line(std::string_view line);
  void set_error(std::string message);

  Limits limits_;
  std::string partial_line_;
  std::optional<Reply> partial_reply_;
  std::deque<Reply> ready_;
  std::optional<Error> error_;
};

// parse_enhanced_code - "5.1.1" at the start of text, followed by a space or
// the end (RFC 3463: class 2/4/5, subject and detail 1-3 digits).
std::optional<EnhancedCode> parse_enhanced_code(std::string_view text);

}  // namespace tern::smtp
