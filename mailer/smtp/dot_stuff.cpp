// dot_stuff.cpp - CRLF normalisation and dot-stuffing (see dot_stuff.hpp).
#include "mailer/smtp/dot_stuff.hpp"

namespace tern::smtp {
namespace {

// rewrite - one pass over bytes: CRLF-normalise, and optionally stuff dots.
// Returns whether the output ends at the start of a line.
bool rewrite(std::string_view bytes, bool stuff_dots, std::string& out) {
  bool at_line_start = true;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
      out += "\r\n";
      at_line_start = true;
      continue;
    }
    if (stuff_dots && at_line_start && c == '.') out += '.';
    out += c;
    at_line_start = false;
  }
  return at_line_start;
}

}  // namespace

std::string normalize_line_endings(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 64);
  rewrite(bytes, false, out);
  return out;
}

std::string dot_stuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 64 + 5);
  if (!rewrite(message, true, out)) out += "\r\n";
  out += ".\r\n";
  return out;
}

}  // namespace tern::smtp
