// capabilities_fuzz.cpp - libFuzzer target for smtp::parse_capabilities.
//
// The input is an EHLO reply from a hostile server: it goes through the
// ReplyParser (as in a session) and, to reach lines the parser would refuse,
// is also cut at LF into the lines of a hand-made 250 reply. Invariants:
// esmtp only for 2xx; AUTH mechanisms are non-empty, upper case and unique.
#include <algorithm>
#include <string>

#include "mailer/smtp/capabilities.hpp"
#include "mailer/smtp/reply_parser.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using tern::smtp::Capabilities;
using tern::smtp::Reply;

void check(const Reply& reply) {
  const Capabilities caps = tern::smtp::parse_capabilities(reply);
  FUZZ_CHECK(caps.esmtp == (reply.code >= 200 && reply.code < 300), "esmtp flag does not follow the code");
  const auto& mechanisms = caps.auth_mechanisms;
  for (std::size_t i = 0; i < mechanisms.size(); ++i) {
    FUZZ_CHECK(!mechanisms[i].empty(), "empty AUTH mechanism");
    FUZZ_CHECK(std::none_of(mechanisms[i].begin(), mechanisms[i].end(), [](char c) { return c >= 'a' && c <= 'z'; }),
               "AUTH mechanism not upper case");
    FUZZ_CHECK(std::count(mechanisms.begin(), mechanisms.end(), mechanisms[i]) == 1, "AUTH mechanism repeated");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = tern::fuzz::as_view(data, size);

  tern::smtp::ReplyParser parser;
  parser.feed(input);
  while (true) {
    auto next = parser.next();
    if (!next || !*next) break;
    check(**next);
  }

  Reply raw;
  raw.code = 250;
  const tern::fuzz::Fields lines(input, '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) raw.lines.emplace_back(lines[i]);
  check(raw);
  return 0;
}
