// transfer_encoding_fuzz.cpp - libFuzzer target for the body encodings
// (mailer/transfer_encoding.hpp).
//
// Invariants: normalize_crlf leaves only CRLF and is idempotent; quoted-
// printable output is 7-bit, CRLF only, lines of at most 76 characters with
// no trailing whitespace and no leading "." or "From ", '=' only as "=XX"
// (upper-case hex) or a soft break, and it decodes back to normalize_crlf of
// the input; base64 lines are at most 76 characters and decode back to the
// input. The decoder is also fed raw bytes (it must be total).
#include <string>

#include "mailer/transfer_encoding.hpp"
#include "store/util/encoding.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

void check_qp_line(std::string_view line) {
  FUZZ_CHECK(line.size() <= tern::mailer::kMaxEncodedLine, "QP line over 76");
  FUZZ_CHECK(line.empty() || (line.back() != ' ' && line.back() != '\t'), "QP line ends in whitespace");
  FUZZ_CHECK(line.substr(0, 1) != "." && line.substr(0, 5) != "From ", "QP line starts with '.' or 'From '");
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    FUZZ_CHECK(c < 0x80 && (c >= 0x20 || c == '\t'), "QP output not printable 7-bit");
    if (c != '=') continue;
    const bool soft_break = i + 1 == line.size();
    const bool escape = i + 2 < line.size() && is_upper_hex(line[i + 1]) && is_upper_hex(line[i + 2]);
    FUZZ_CHECK(soft_break || escape, "'=' neither an escape nor a soft break");
    if (escape) i += 2;
  }
}

void check_qp(std::string_view input) {
  const std::string encoded = tern::mailer::encode_quoted_printable(input);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(encoded), "bare CR or LF in QP output");
  std::size_t start = 0;
  while (start <= encoded.size()) {
    std::size_t end = encoded.find("\r\n", start);
    if (end == std::string::npos) end = encoded.size();
    check_qp_line(std::string_view(encoded).substr(start, end - start));
    start = end + 2;
  }
  FUZZ_CHECK(tern::mailer::decode_quoted_printable(encoded) == tern::mailer::normalize_crlf(input),
             "QP round trip lost bytes");
}

void check_base64(std::string_view input) {
  const std::string lines = tern::mailer::encode_base64_lines(input);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(lines), "bare CR or LF in base64 output");
  FUZZ_CHECK(tern::fuzz::longest_line(lines) <= tern::mailer::kMaxEncodedLine, "base64 line over 76");
  std::string joined;
  for (char c : lines) {
    if (c != '\r' && c != '\n') joined += c;
  }
  const auto decoded = tern::base64_decode(joined);
  FUZZ_CHECK(decoded && *decoded == input, "base64 round trip lost bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = tern::fuzz::as_view(data, size);
  const std::string normalized = tern::mailer::normalize_crlf(input);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(normalized), "bare CR or LF after normalize_crlf");
  FUZZ_CHECK(tern::mailer::normalize_crlf(normalized) == normalized, "normalize_crlf not idempotent");
  check_qp(input);
  check_base64(input);
  (void)tern::mailer::decode_quoted_printable(input);
  return 0;
}
