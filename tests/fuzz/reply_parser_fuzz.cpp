// reply_parser_fuzz.cpp - libFuzzer target for smtp::ReplyParser.
//
// The first two bytes pick small limits and a chunk size; the rest is what a
// hostile SMTP peer sends. Invariants: every reply has a 2xx..5xx code and
// 1..max_lines lines that fit the line limit; feeding the bytes in chunks
// (calling next() in between) yields the same replies and the same error as
// feeding them at once; an error is sticky.
#include <optional>
#include <string>
#include <vector>

#include "mailer/smtp/reply_parser.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using tern::smtp::Reply;
using tern::smtp::ReplyParser;

struct Outcome {
  std::vector<Reply> replies;
  bool failed = false;
};

// drain - take every ready reply; note a failure.
void drain(ReplyParser& parser, Outcome& outcome) {
  while (!outcome.failed) {
    auto next = parser.next();
    if (!next) {
      outcome.failed = true;
      FUZZ_CHECK(next.error().code == tern::Errc::protocol, "parser errors are protocol errors");
      return;
    }
    if (!*next) return;
    outcome.replies.push_back(std::move(**next));
  }
}

void check_reply(const Reply& reply, const ReplyParser::Limits& limits) {
  FUZZ_CHECK(reply.code >= 200 && reply.code <= 599, "reply code out of range");
  FUZZ_CHECK(!reply.lines.empty() && reply.lines.size() <= limits.max_lines, "line count out of range");
  for (const auto& line : reply.lines) {
    FUZZ_CHECK(line.size() + 4 <= limits.max_line_octets, "line longer than the limit");
    FUZZ_CHECK(line.find('\n') == std::string::npos, "LF inside a line");
  }
  if (reply.enhanced) {
    const int klass = reply.enhanced->klass;
    FUZZ_CHECK(klass == 2 || klass == 4 || klass == 5, "enhanced class out of range");
    FUZZ_CHECK(reply.enhanced->subject <= 999 && reply.enhanced->detail <= 999, "enhanced code over 3 digits");
  }
  (void)reply.to_string();
  (void)reply.text();
}

bool same(const Reply& a, const Reply& b) {
  const bool enhanced_same = a.enhanced.has_value() == b.enhanced.has_value() &&
                             (!a.enhanced || a.enhanced->to_string() == b.enhanced->to_string());
  return a.code == b.code && a.lines == b.lines && enhanced_same;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  ReplyParser::Limits limits;
  limits.max_line_octets = 8 + (data[0] & 0x7f) * 8;  // 8..1024
  limits.max_lines = 1 + (data[0] >> 7) * 99;         // 1 or 100
  const std::size_t chunk = 1 + data[1] % 17;
  const std::string_view input = tern::fuzz::as_view(data + 2, size - 2);

  ReplyParser whole(limits);
  whole.feed(input);
  Outcome at_once;
  drain(whole, at_once);

  ReplyParser pieces(limits);
  Outcome chunked;
  for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
    pieces.feed(input.substr(pos, chunk));
    drain(pieces, chunked);
  }
  drain(pieces, chunked);

  FUZZ_CHECK(at_once.failed == chunked.failed, "chunking changed the error");
  FUZZ_CHECK(at_once.replies.size() == chunked.replies.size(), "chunking changed the reply count");
  for (std::size_t i = 0; i < at_once.replies.size(); ++i) {
    check_reply(at_once.replies[i], limits);
    FUZZ_CHECK(same(at_once.replies[i], chunked.replies[i]), "chunking changed a reply");
  }
  if (at_once.failed) {
    whole.feed("250 OK\r\n");
    FUZZ_CHECK(!whole.next(), "error not sticky");
    FUZZ_CHECK(!whole.idle(), "failed parser claims to be idle");
  }
  return 0;
}
