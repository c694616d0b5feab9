// signature.cpp - DKIM-Signature text: folding and b= removal.
#include "mailer/dkim/signature.hpp"

namespace tern::dkim {
namespace {

constexpr std::size_t kFoldWidth = 78;  // RFC 5322 §2.1.1 SHOULD

// FoldedLines - appends pieces to "DKIM-Signature:", starting a new line
// (CRLF SP) when a piece would pass the fold width.
class FoldedLines {
 public:
  explicit FoldedLines(std::string_view name) : line_(name) { line_ += ':'; }

  // add - piece after a separator: " " normally, nothing when glued (inside
  // a tag value whose grammar allows FWS at this point).
  void add(std::string_view piece, bool glued = false) {
    std::size_t sep = glued ? 0 : 1;
    if (line_.size() + sep + piece.size() > kFoldWidth && line_.size() > 1) {
      break_line();
      line_ += piece;
      return;
    }
    if (!glued) line_ += ' ';
    line_ += piece;
  }

  void break_line() {
    text_ += line_;
    text_ += "\r\n";
    line_ = " ";
  }

  std::string finish() {
    text_ += line_;
    text_ += "\r\n";
    return std::move(text_);
  }

 private:
  std::string text_;
  std::string line_;
};

const char* canon_name(Canon canon) { return canon == Canon::relaxed ? "relaxed" : "simple"; }

bool is_fws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string Signature::c() const {
  return std::string(canon_name(header_canon)) + "/" + canon_name(body_canon);
}

std::string Signature::to_header() const {
  FoldedLines lines(kSignatureHeaderName);
  lines.add("v=1;");
  lines.add("a=" + a + ";");
  lines.add("c=" + c() + ";");
  lines.add("d=" + d + ";");
  lines.add("s=" + s + ";");
  if (t) lines.add("t=" + std::to_string(*t) + ";");
  if (x) lines.add("x=" + std::to_string(*x) + ";");
  for (std::size_t i = 0; i < h.size(); ++i) {
    std::string piece = (i == 0 ? "h=" : "") + h[i] + (i + 1 < h.size() ? ":" : ";");
    lines.add(piece, /*glued=*/i > 0);  // sig-h-tag allows FWS after each ':'
  }
  lines.add("bh=" + bh + ";");
  // b= always opens its own line so that nothing before it depends on b.
  lines.break_line();
  lines.add("b=", /*glued=*/true);
  constexpr std::size_t kChunk = 72;
  for (std::size_t i = 0; i < b.size(); i += kChunk) lines.add(b.substr(i, kChunk), /*glued=*/true);
  return lines.finish();
}

std::string without_b_value(std::string_view value) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    std::size_t semi = value.find(';', pos);
    std::size_t end = semi == std::string_view::npos ? value.size() : semi;
    std::string_view tag = value.substr(pos, end - pos);
    std::size_t k = 0;
    while (k < tag.size() && is_fws(tag[k])) ++k;
    std::size_t eq = tag.find('=');
    bool is_b = eq != std::string_view::npos && k < tag.size() && tag[k] == 'b' &&
                tag.find_first_not_of(" \t\r\n", k + 1) == eq;
    out += is_b ? tag.substr(0, eq + 1) : tag;
    if (semi == std::string_view::npos) break;
    out += ';';
    pos = semi + 1;
  }
  return out;
}

}  // namespace tern::dkim
