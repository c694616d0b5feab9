// header_encoding.cpp - see header_encoding.hpp.
#include "mailer/header_encoding.hpp"

#include <cctype>
#include <optional>

#include "mailer/utf8.hpp"
#include "store/util/encoding.hpp"

namespace tern::mailer {
namespace {

constexpr std::string_view kPrefixB = "=?UTF-8?B?";
constexpr std::string_view kPrefixQ = "=?UTF-8?Q?";
constexpr std::size_t kWordOverhead = 12;  // "=?UTF-8?X?" + "?="
// Room for the widest character (4 bytes, 12 Q characters) in one word.
constexpr std::size_t kMinWord = kWordOverhead + 12;
// A plain token longer than this could not share a line with a 76-character
// header name and stay under 998, so such text is encoded instead.
constexpr std::size_t kMaxPlainPiece = 900;
// A quoted display name longer than this would not fit one folded line.
constexpr std::size_t kMaxQuotedName = 74;

constexpr char kHex[] = "0123456789ABCDEF";

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// q_safe - RFC 2047 §5(3): the characters allowed raw in a Q word in a phrase.
bool q_safe(unsigned char c) {
  return std::isalnum(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

std::size_t q_cost(unsigned char c) { return (q_safe(c) || c == ' ') ? 1 : 3; }

void append_q(std::string& out, unsigned char c) {
  if (c == ' ') {
    out += '_';
  } else if (q_safe(c)) {
    out += static_cast<char>(c);
  } else {
    out += '=';
    out += kHex[c >> 4];
    out += kHex[c & 0x0F];
  }
}

std::size_t b_length(std::size_t raw) { return (raw + 2) / 3 * 4; }

bool prefer_q(std::string_view text) {
  std::size_t q = 0;
  for (char c : text) q += q_cost(static_cast<unsigned char>(c));
  return q <= b_length(text.size());
}

std::string finish_word(bool use_q, std::string_view chunk) {
  std::string word(use_q ? kPrefixQ : kPrefixB);
  if (use_q) {
    for (char c : chunk) append_q(word, static_cast<unsigned char>(c));
  } else {
    word += base64_encode(chunk);
  }
  word += "?=";
  return word;
}

std::size_t encoded_size(bool use_q, std::string_view chunk) {
  if (!use_q) return b_length(chunk.size());
  std::size_t n = 0;
  for (char c : chunk) n += q_cost(static_cast<unsigned char>(c));
  return n;
}

// with_separators - every piece after the first gets its leading space.
std::vector<std::string> with_separators(std::vector<std::string> words) {
  for (std::size_t i = 1; i < words.size(); ++i) words[i].insert(0, 1, ' ');
  return words;
}

bool looks_encoded(std::string_view text) { return text.find("=?") != std::string_view::npos; }

bool is_printable_text(std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c >= 0x7F) return false;
  }
  return true;
}

// split_plain - "a  b c " -> {"a", "  b", " c "}: whitespace runs lead pieces.
std::vector<std::string> split_plain(std::string_view text) {
  std::vector<std::string> pieces;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size() && is_wsp(text[end])) ++end;
    while (end < text.size() && !is_wsp(text[end])) ++end;
    pieces.emplace_back(text.substr(i, end - i));
    i = end;
  }
  // Trailing whitespace must not stand alone as a piece, or a fold before it
  // would leave a line of nothing but whitespace.
  if (pieces.size() > 1 && pieces.back().find_first_not_of(" \t") == std::string::npos) {
    pieces[pieces.size() - 2] += pieces.back();
    pieces.pop_back();
  }
  return pieces;
}

bool is_atom_phrase(std::string_view text) {
  static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  if (text.find("  ") != std::string_view::npos) return false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || (c < 0x80 && std::isalnum(c))) continue;
    if (c >= 0x80 || kAtext.find(ch) == std::string_view::npos) return false;
  }
  return true;
}

std::string quote_phrase(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// parse_encoded_word - decodes the word starting at value[pos] ("=?"), and
// sets length to its size; nullopt when it is not a well-formed word.
std::optional<std::string> parse_encoded_word(std::string_view value, std::size_t pos, std::size_t& length) {
  const std::size_t q1 = value.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 + 3 >= value.size() || value[q1 + 2] != '?') return std::nullopt;
  const std::string_view charset = value.substr(pos + 2, q1 - pos - 2);
  if (charset.empty() || charset.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  const char kind = static_cast<char>(std::toupper(static_cast<unsigned char>(value[q1 + 1])));
  const std::size_t end = value.find("?=", q1 + 3);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view text = value.substr(q1 + 3, end - q1 - 3);
  if (text.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  length = end + 2 - pos;
  if (kind == 'Q') return decode_q(text);
  if (kind == 'B') return base64_decode(text);
  return std::nullopt;
}


}  // namespace

std::string sanitize_header_text(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return out;
}

std::vector<std::string> encode_words(std::string_view text, std::size_t first_max) {
  std::vector<std::string> words;
  const bool use_q = prefer_q(text);
  std::size_t limit = (first_max >= kMinWord && first_max <= kMaxEncodedWord) ? first_max : kMaxEncodedWord;
  std::size_t chunk_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t next = pos + utf8_char_length(text, pos);
    const std::string_view grown = text.substr(chunk_start, next - chunk_start);
    if (pos > chunk_start && kWordOverhead + encoded_size(use_q, grown) > limit) {
      words.push_back(finish_word(use_q, text.substr(chunk_start, pos - chunk_start)));
      chunk_start = pos;
      limit = kMaxEncodedWord;
      continue;
    }
    pos = next;
  }
  if (pos > chunk_start) words.push_back(finish_word(use_q, text.substr(chunk_start, pos - chunk_start)));
  return words;
}

std::vector<std::string> unstructured_pieces(std::string_view text, std::size_t first_budget) {
  const std::string clean = sanitize_header_text(text);
  if (is_printable_text(clean) && !looks_encoded(clean)) {
    std::vector<std::string> pieces = split_plain(clean);
    bool fits = true;
    for (const auto& piece : pieces) fits = fits && piece.size() <= kMaxPlainPiece;
    if (fits) return pieces;
  }
  return with_separators(encode_words(clean, first_budget));
}

std::vector<std::string> phrase_pieces(std::string_view display_name, std::size_t first_budget) {
  const std::string clean = sanitize_header_text(display_name);
  if (clean.empty()) return {};
  if (!looks_encoded(clean)) {
    if (is_atom_phrase(clean) && clean.size() <= kMaxQuotedName) return split_plain(clean);
    if (is_printable_text(clean) && clean.find('\t') == std::string::npos && clean.size() <= kMaxQuotedName) {
      return {quote_phrase(clean)};
    }
  }
  return with_separators(encode_words(clean, first_budget));
}

std::string decode_encoded_words(std::string_view value) {
  const std::string text = unfold(value);
  std::string out;
  std::string pending_space;
  bool after_word = false;
  for (std::size_t i = 0; i < text.size();) {
    if (is_wsp(text[i])) {
      pending_space += text[i++];
      continue;
    }
    std::size_t length = 0;
    if (text.compare(i, 2, "=?") == 0) {
      if (auto decoded = parse_encoded_word(text, i, length)) {
        if (!after_word) out += pending_space;
        pending_space.clear();
        out += *decoded;
        after_word = true;
        i += length;
        continue;
      }
    }
    out += pending_space;
    pending_space.clear();
    out += text[i++];
    after_word = false;
  }
  return out + pending_space;
}

std::string unfold(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') {
      ++i;
      continue;
    }
    out += value[i];
  }
  return out;
}

}  // namespace tern::mailer
