// mime_parts.cpp - attachment parts, RFC 2231 parameters and multipart
// containers (mime_parts.hpp), and the content type / content id checks
// declared in message.hpp.
#include "mailer/mime_parts.hpp"

#include <cstdio>

#include "mailer/header_folding.hpp"
#include "mailer/transfer_encoding.hpp"

namespace tern::mailer {
namespace {

constexpr std::size_t kMaxContentType = 255;
constexpr std::size_t kMaxContentId = 127;
// Room for one encoded parameter section: keeps folded lines near 78.
constexpr std::size_t kSectionWidth = 50;

// is_tspecial - RFC 2045 §5.1 tspecials.
bool is_tspecial(char c) {
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos;
}

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 32 && u < 127 && !is_tspecial(c);
}

// is_attr_char - RFC 2231 attribute-char: a token char but not *, ' or %.
bool is_attr_char(char c) { return is_token_char(c) && c != '*' && c != '\'' && c != '%'; }

bool is_atext_or_dot(char c) {
  const auto u = static_cast<unsigned char>(c);
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return u < 127 && std::string_view("!#$%&'*+-/=?^_`{|}~.@").find(c) != std::string_view::npos;
}

// read_token - advance over a token; false when there is none.
bool read_token(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && is_token_char(text[i])) ++i;
  return i > start;
}

void skip_spaces(std::string_view text, std::size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
}

// read_quoted - a quoted-string of printable ASCII with \-escapes.
bool read_quoted(std::string_view text, std::size_t& i) {
  if (i >= text.size() || text[i] != '"') return false;
  for (++i; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 32 || c >= 127) return false;
    if (text[i] == '\\') {
      if (++i >= text.size()) return false;
    } else if (text[i] == '"') {
      ++i;
      return true;
    }
  }
  return false;
}

// clean_filename - control characters (CR, LF, NUL, ...) removed.
std::string clean_filename(std::string_view filename) {
  std::string out;
  for (char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 32 && c != 127) out += ch;
  }
  return out;
}

bool is_plain_ascii(std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 32 || c >= 127) return false;
  }
  return true;
}

std::string percent_encode(std::string_view value) {
  std::string out;
  for (char ch : value) {
    if (is_attr_char(ch)) {
      out += ch;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(ch));
      out += hex;
    }
  }
  return out;
}

// split_encoded - cut percent-encoded text into sections of about `width`
// characters without splitting a %XX triplet.
std::vector<std::string> split_encoded(const std::string& encoded, std::size_t width) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < encoded.size()) {
    std::size_t end = std::min(encoded.size(), start + width);
    if (end < encoded.size()) {
      if (end >= 1 && encoded[end - 1] == '%') end -= 1;
      else if (end >= 2 && encoded[end - 2] == '%') end -= 2;
    }
    out.push_back(encoded.substr(start, end - start));
    start = end;
  }
  return out;
}

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool is_valid_content_type(std::string_view text) {
  if (text.empty() || text.size() > kMaxContentType) return false;
  std::size_t i = 0;
  if (!read_token(text, i) || i >= text.size() || text[i] != '/') return false;
  ++i;
  if (!read_token(text, i)) return false;
  for (;;) {
    skip_spaces(text, i);
    if (i == text.size()) return true;
    if (text[i] != ';') return false;
    ++i;
    skip_spaces(text, i);
    if (!read_token(text, i) || i >= text.size() || text[i] != '=') return false;
    ++i;
    if (!read_token(text, i) && !read_quoted(text, i)) return false;
  }
}

bool is_valid_content_id(std::string_view text) {
  if (text.empty() || text.size() > kMaxContentId) return false;
  for (char c : text)
    if (!is_atext_or_dot(c)) return false;
  return true;
}

std::vector<std::string> parameter_pieces(std::string_view name, std::string_view value) {
  const std::string n(name);
  if (is_plain_ascii(value) && value.size() <= kSectionWidth) return {" " + n + "=" + quote(value)};
  const auto sections = split_encoded(percent_encode(value), kSectionWidth);
  if (sections.size() <= 1) return {" " + n + "*=utf-8''" + (sections.empty() ? "" : sections[0])};
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const std::string prefix = i == 0 ? "utf-8''" : "";
    pieces.push_back(" " + n + "*" + std::to_string(i) + "*=" + prefix + sections[i]);
  }
  return pieces;
}

namespace {

// with_parameters - "value;" + " a=1;" + " b=2": the pieces of a header
// whose parameters may be folded between.
std::vector<std::string> with_parameters(std::string value, const std::vector<std::string>& parameters) {
  std::vector<std::string> pieces = {std::move(value)};
  for (const auto& parameter : parameters) {
    pieces.back() += ';';
    pieces.push_back(parameter);
  }
  return pieces;
}

}  // namespace

std::string attachment_entity(const Attachment& attachment) {
  const std::string filename = clean_filename(attachment.filename);
  const bool is_inline = is_valid_content_id(attachment.content_id);
  const std::string type =
      is_valid_content_type(attachment.content_type) ? attachment.content_type : "application/octet-stream";
  // A type that already carries parameters keeps them and gets no name=
  // (the filename= of Content-Disposition is what clients read first).
  const bool type_has_parameters = type.find(';') != std::string::npos;
  std::vector<std::string> name_parameters, file_parameters;
  if (!filename.empty()) {
    file_parameters = parameter_pieces("filename", filename);
    if (!type_has_parameters) name_parameters = parameter_pieces("name", filename);
  }
  std::string out = fold_header("Content-Type", with_parameters(type, name_parameters));
  out += fold_header("Content-Disposition", with_parameters(is_inline ? "inline" : "attachment", file_parameters));
  if (is_inline) out += "Content-ID: <" + attachment.content_id + ">\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += attachment.content.empty() ? std::string("\r\n") : encode_base64_lines(attachment.content);
  return out;
}

std::string multipart_entity(std::string_view subtype, std::string_view boundary,
                             const std::vector<std::string>& entities) {
  const std::string b(boundary);
  std::string out =
      fold_header("Content-Type", {"multipart/" + std::string(subtype) + ";", " boundary=\"" + b + "\""});
  out += "\r\n";
  for (const auto& entity : entities) out += "--" + b + "\r\n" + entity;
  out += "--" + b + "--\r\n";
  return out;
}

}  // namespace tern::mailer
