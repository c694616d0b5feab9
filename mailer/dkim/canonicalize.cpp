// canonicalize.cpp - RFC 6376 §3.4 simple and relaxed canonicalization.
#include "mailer/dkim/canonicalize.hpp"

namespace tern::dkim {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

// collapse_wsp - every run of SP/HTAB becomes one SP; leading and trailing
// runs are dropped when trim is set.
std::string collapse_wsp(std::string_view text, bool trim) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (is_wsp(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !(trim && out.empty())) out += ' ';
    pending_space = false;
    out += c;
  }
  if (pending_space && !trim) out += ' ';
  return out;
}

// next_line - the line at pos without its CRLF; pos moves past the CRLF (or
// to the end when the last line has none).
std::string_view next_line(std::string_view text, std::size_t& pos) {
  std::size_t end = text.find(kCrlf, pos);
  std::string_view line;
  if (end == std::string_view::npos) {
    line = text.substr(pos);
    pos = text.size();
  } else {
    line = text.substr(pos, end - pos);
    pos = end + kCrlf.size();
  }
  return line;
}

}  // namespace

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

Result<HeaderField> parse_header_field(std::string_view raw) {
  if (raw.size() >= kCrlf.size() && raw.substr(raw.size() - kCrlf.size()) == kCrlf)
    raw.remove_suffix(kCrlf.size());
  std::size_t colon = raw.find(':');
  if (colon == std::string_view::npos || colon == 0 || raw.substr(0, colon).find(kCrlf) != std::string_view::npos)
    return fail(Errc::invalid_argument, "header field without a name and ':'");
  return HeaderField{std::string(raw.substr(0, colon)), std::string(raw.substr(colon + 1))};
}

Result<SplitMessage> split_message(std::string_view message) {
  SplitMessage out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t line_start = pos;
    std::string_view line = next_line(message, pos);
    if (line.find_first_of("\r\n") != std::string_view::npos)
      return fail(Errc::invalid_argument, "bare CR or LF in the header section (CRLF expected)");
    if (line.empty()) {  // the empty line that ends the header section
      out.body = message.substr(pos);
      return out;
    }
    if (is_wsp(line.front())) {
      if (out.headers.empty()) return fail(Errc::invalid_argument, "continuation line before any header field");
      out.headers.back().value += kCrlf;
      out.headers.back().value += line;
      continue;
    }
    auto field = parse_header_field(message.substr(line_start, line.size()));
    if (!field) return tl::unexpected(field.error());
    out.headers.push_back(std::move(*field));
  }
  return out;  // headers only, no body
}

std::string canon_header_relaxed(std::string_view name, std::string_view value) {
  std::string out;
  for (char c : name) out += lower_ascii(c);
  while (!out.empty() && is_wsp(out.back())) out.pop_back();
  out += ':';
  // Unfold: every CRLF in a field's value is a fold (it precedes WSP).
  std::string unfolded;
  unfolded.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, kCrlf.size(), kCrlf) == 0) {
      ++i;
      continue;
    }
    unfolded += value[i];
  }
  out += collapse_wsp(unfolded, /*trim=*/true);
  return out;
}

std::string canon_header_simple(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ':';
  out += value;
  return out;
}

std::string canon_header(Canon canon, const HeaderField& field) {
  return canon == Canon::relaxed ? canon_header_relaxed(field.name, field.value)
                                 : canon_header_simple(field.name, field.value);
}

std::string canon_body_relaxed(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  std::size_t kept = 0;  // length of out up to the last non-empty line
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::string line = collapse_wsp(next_line(body, pos), /*trim=*/false);
    if (!line.empty() && line.back() == ' ') line.pop_back();  // WSP at the line end
    out += line;
    out += kCrlf;
    if (!line.empty()) kept = out.size();
  }
  out.resize(kept);  // trailing empty lines go; an all-empty body becomes ""
  return out;
}

std::string canon_body_simple(std::string_view body) {
  std::string out(body);
  if (out.size() < kCrlf.size() || out.compare(out.size() - kCrlf.size(), kCrlf.size(), kCrlf) != 0)
    out += kCrlf;  // a missing final CRLF; an empty body becomes one CRLF
  while (out.size() >= 2 * kCrlf.size() && out.compare(out.size() - 4, 4, "\r\n\r\n") == 0)
    out.resize(out.size() - kCrlf.size());
  return out;
}

std::string canon_body(Canon canon, std::string_view body) {
  return canon == Canon::relaxed ? canon_body_relaxed(body) : canon_body_simple(body);
}

}  // namespace tern::dkim
