// utf8.cpp - see utf8.hpp.
#include "mailer/utf8.hpp"

namespace tern::mailer {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// well_formed_length - RFC 3629 table 3-7; 0 when the sequence is malformed.
std::size_t well_formed_length(std::string_view text, std::size_t pos) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = at(pos);
  if (c < 0x80) return 1;
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds for the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + need > text.size()) return 0;
  if (at(pos + 1) < lo || at(pos + 1) > hi) return 0;
  for (std::size_t i = 2; i < need; ++i) {
    if (!is_continuation(at(pos + i))) return 0;
  }
  return need;
}

}  // namespace

std::size_t utf8_char_length(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  const std::size_t n = well_formed_length(text, pos);
  return n == 0 ? 1 : n;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t n = well_formed_length(text, pos);
    if (n == 0) return false;
    pos += n;
  }
  return true;
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace tern::mailer
