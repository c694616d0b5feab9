// transfer_encoding.cpp - see transfer_encoding.hpp.
#include "mailer/transfer_encoding.hpp"

#include "store/util/encoding.hpp"

namespace tern::mailer {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// QpToken - one encoded character: itself, or "=XX".
struct QpToken {
  char bytes[3];
  std::size_t size;
};

// qp_token - the encoded form of line[i], given whether it would open a
// physical line. Escapes '=', controls, 8-bit bytes, whitespace that ends
// the line, and a line-opening "." or "From ".
QpToken qp_token(std::string_view line, std::size_t i, bool line_start) {
  const auto c = static_cast<unsigned char>(line[i]);
  bool escape = c == '=' || c > 126 || (c < 32 && c != '\t');
  escape = escape || (is_wsp(line[i]) && i + 1 == line.size());
  escape = escape || (line_start && (c == '.' || line.substr(i, 5) == "From "));
  if (!escape) return {{static_cast<char>(c), 0, 0}, 1};
  return {{'=', kHex[c >> 4], kHex[c & 0x0F]}, 3};
}

void encode_line(std::string_view line, std::string& out) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    QpToken token = qp_token(line, i, column == 0);
    const bool last = i + 1 == line.size();
    // Leave room for the soft break "=" unless this token ends the line.
    const std::size_t limit = last ? kMaxEncodedLine : kMaxEncodedLine - 1;
    if (column + token.size > limit) {
      out += "=\r\n";
      column = 0;
      token = qp_token(line, i, true);
    }
    out.append(token.bytes, token.size);
    column += token.size;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// decode_line - one encoded line without its line break; true when it ends
// in a soft line break.
bool decode_line(std::string_view line, std::string& out) {
  while (!line.empty() && is_wsp(line.back())) line.remove_suffix(1);
  bool soft = false;
  if (!line.empty() && line.back() == '=') {
    soft = true;
    line.remove_suffix(1);
  }
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '=' && i + 2 < line.size() && hex_value(line[i + 1]) >= 0 && hex_value(line[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(line[i + 1]) * 16 + hex_value(line[i + 2]));
      i += 2;
    } else {
      out += line[i];
    }
  }
  return soft;
}

}  // namespace

std::string normalize_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t brk = text.find_first_of("\r\n", i);
    if (brk == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, brk - i));
    out += "\r\n";
    if (text[brk] == '\r' && brk + 1 < text.size() && text[brk + 1] == '\n') ++brk;
    i = brk + 1;
  }
  return out;
}

std::string encode_quoted_printable(std::string_view text) {
  const std::string normalized = normalize_crlf(text);
  const std::string_view all = normalized;
  std::string out;
  out.reserve(all.size() + all.size() / 8);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = all.find("\r\n", start);
    encode_line(all.substr(start, end == std::string_view::npos ? end : end - start), out);
    if (end == std::string_view::npos) break;
    out += "\r\n";
    start = end + 2;
  }
  return out;
}

std::string decode_quoted_printable(std::string_view encoded) {
  std::string out;
  std::size_t start = 0;
  while (start <= encoded.size()) {
    std::size_t end = encoded.find('\n', start);
    const bool has_break = end != std::string_view::npos;
    if (!has_break) end = encoded.size();
    std::string_view line = encoded.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool soft = decode_line(line, out);
    if (!has_break) break;
    if (!soft) out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string encode_base64_lines(std::string_view bytes) {
  const std::string flat = base64_encode(bytes);
  std::string out;
  out.reserve(flat.size() + flat.size() / kMaxEncodedLine * 2 + 2);
  for (std::size_t i = 0; i < flat.size(); i += kMaxEncodedLine) {
    out.append(flat, i, kMaxEncodedLine);
    out += "\r\n";
  }
  return out;
}

}  // namespace tern::mailer
