// dot_stuff_fuzz.cpp - libFuzzer target for smtp::dot_stuff and
// smtp::normalize_line_endings.
//
// Invariants (dot_stuff.hpp): no bare CR or LF in either output; the
// dot-stuffed payload ends with ".\r\n" and holds "\r\n.\r\n" only at its
// end; undoing the stuffing gives back the normalised message with a final
// CRLF.
#include <string>

#include "mailer/smtp/dot_stuff.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

// unstuff - what the receiving server stores: the end-of-data line removed,
// one leading '.' removed from every line.
std::string unstuff(std::string_view payload) {
  payload.remove_suffix(3);  // ".\r\n"
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    if (line_start && payload[i] == '.') {
      line_start = false;
      continue;
    }
    out += payload[i];
    line_start = payload[i] == '\n';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = tern::fuzz::as_view(data, size);

  const std::string normalized = tern::smtp::normalize_line_endings(input);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(normalized), "bare CR or LF after normalize_line_endings");
  FUZZ_CHECK(tern::smtp::normalize_line_endings(normalized) == normalized, "normalize not idempotent");

  const std::string payload = tern::smtp::dot_stuff(input);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(payload), "bare CR or LF in the DATA payload");
  FUZZ_CHECK(payload.size() >= 3 && payload.compare(payload.size() - 3, 3, ".\r\n") == 0, "no end-of-data line");
  const std::size_t end_marker = payload.find("\r\n.\r\n");
  FUZZ_CHECK(end_marker == std::string::npos || end_marker == payload.size() - 5, "early end-of-data");
  FUZZ_CHECK(payload.size() == 3 || end_marker == payload.size() - 5, "end-of-data not on its own line");

  std::string expected = normalized;
  const bool ends_crlf = expected.size() >= 2 && expected.compare(expected.size() - 2, 2, "\r\n") == 0;
  if (!expected.empty() && !ends_crlf) expected += "\r\n";
  FUZZ_CHECK(unstuff(payload) == expected, "unstuffing does not give the message back");
  return 0;
}
