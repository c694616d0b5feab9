// canonicalize_fuzz.cpp - libFuzzer target for DKIM canonicalization
// (mailer/dkim/canonicalize.hpp).
//
// The input is a whole message. Invariants:
//  - split_message: names non-empty without ':' or CR/LF, every CRLF in a
//    value is a fold (followed by WSP), and the fields plus the empty line
//    plus the body rebuild the message;
//  - relaxed headers: one line, lower-case name; the value has no HTAB,
//    no WSP run, no WSP after ':' or at the end; canonicalizing again
//    changes nothing;
//  - simple headers are "Name:value" unchanged;
//  - on a CRLF-only body: relaxed output is "" or ends with exactly one
//    CRLF, no line ends in WSP, no HTAB or WSP run; simple output ends with
//    exactly one CRLF (or is "\r\n"); both are idempotent.
#include <string>

#include "mailer/dkim/canonicalize.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace dkim = tern::dkim;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void check_field(const dkim::HeaderField& field) {
  FUZZ_CHECK(!field.name.empty() && field.name.find_first_of(":\r\n") == std::string::npos, "bad field name");
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    const char c = field.value[i];
    if (c == '\n') FUZZ_CHECK(i > 0 && field.value[i - 1] == '\r', "bare LF in a value");
    if (c != '\r') continue;
    FUZZ_CHECK(i + 2 < field.value.size() && field.value[i + 1] == '\n', "bare CR or fold at the end of a value");
    FUZZ_CHECK(field.value[i + 2] == ' ' || field.value[i + 2] == '\t', "CRLF in a value that is not a fold");
  }
  FUZZ_CHECK(dkim::canon_header(dkim::Canon::simple, field) == field.name + ":" + field.value, "simple changed");

  const std::string relaxed = dkim::canon_header(dkim::Canon::relaxed, field);
  FUZZ_CHECK(relaxed.find_first_of("\r\n") == std::string::npos, "CR or LF in a relaxed header");
  const std::size_t colon = relaxed.find(':');
  FUZZ_CHECK(colon != std::string::npos, "relaxed header without ':'");
  // split_message does not vet names (the signer only sees Tern's own), so
  // the WSP rules are checked on the value.
  const std::string_view value = std::string_view(relaxed).substr(colon + 1);
  FUZZ_CHECK(value.find('\t') == std::string::npos && value.find("  ") == std::string::npos,
             "HTAB or WSP run in a relaxed value");
  FUZZ_CHECK(relaxed.compare(colon, 2, ": ") != 0 && !ends_with(relaxed, " "), "WSP around a relaxed value");
  for (std::size_t i = 0; i < colon; ++i) FUZZ_CHECK(!(relaxed[i] >= 'A' && relaxed[i] <= 'Z'), "name not lower");
  const std::string again = dkim::canon_header_relaxed(relaxed.substr(0, colon), relaxed.substr(colon + 1));
  FUZZ_CHECK(again == relaxed, "relaxed header not idempotent");
}

void check_body(std::string_view body) {
  const std::string relaxed = dkim::canon_body(dkim::Canon::relaxed, body);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(relaxed), "bare CR or LF in a relaxed body");
  FUZZ_CHECK(relaxed.empty() || (ends_with(relaxed, "\r\n") && !ends_with(relaxed, "\r\n\r\n")) ||
                 relaxed == "\r\n",
             "relaxed body does not end with one CRLF");
  FUZZ_CHECK(relaxed.find_first_of("\t") == std::string::npos && relaxed.find("  ") == std::string::npos,
             "HTAB or WSP run in a relaxed body");
  FUZZ_CHECK(relaxed.find(" \r\n") == std::string::npos, "WSP at a relaxed line end");
  FUZZ_CHECK(dkim::canon_body_relaxed(relaxed) == relaxed, "relaxed body not idempotent");

  const std::string simple = dkim::canon_body(dkim::Canon::simple, body);
  FUZZ_CHECK(ends_with(simple, "\r\n") && (simple == "\r\n" || !ends_with(simple, "\r\n\r\n")),
             "simple body does not end with one CRLF");
  FUZZ_CHECK(dkim::canon_body_simple(simple) == simple, "simple body not idempotent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message = tern::fuzz::as_view(data, size);
  if (auto split = dkim::split_message(message)) {
    std::string rebuilt;
    for (const auto& field : split->headers) {
      check_field(field);
      rebuilt += field.name + ":" + field.value + "\r\n";
    }
    const bool matches = message == rebuilt + "\r\n" + std::string(split->body) ||
                         (split->body.empty() && (message == rebuilt || std::string(message) + "\r\n" == rebuilt));
    FUZZ_CHECK(matches, "fields and body do not rebuild the message");
    if (tern::fuzz::lines_crlf_only(split->body)) check_body(split->body);
  }
  if (tern::fuzz::lines_crlf_only(message)) check_body(message);
  (void)dkim::canon_body_relaxed(message);
  (void)dkim::canon_body_simple(message);
  if (auto field = dkim::parse_header_field(message)) {
    (void)dkim::canon_header_relaxed(field->name, field->value);
  }
  return 0;
}
