// address.cpp - parse and check mailboxes (see address.hpp for the accepted
// forms). Limits are RFC 5321 §4.5.3.1: local part 64 octets, domain 255,
// label 63, and a whole path of 256 including "<>", i.e. 254 for the address.
// Non-ASCII local parts (SMTPUTF8) are refused: Tern sends 7-bit mail only.
// IDN domains are checked against the limits in their A-label form.
// Errors are Errc::invalid_argument with a message that never echoes the
// input back (it may hold control characters).
#include "mailer/address.hpp"

#include <cctype>

#include "mailer/idna.hpp"
#include "mailer/utf8.hpp"

namespace tern::mailer {
namespace {

constexpr std::size_t kMaxLocal = 64;
constexpr std::size_t kMaxDomain = 255;
constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxAddress = 254;

tl::unexpected<Error> invalid(std::string why) { return fail(Errc::invalid_argument, std::move(why)); }

bool is_atext(unsigned char c) {
  if (std::isalnum(c)) return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return c < 0x80 && kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
  return s;
}

std::size_t last_at(std::string_view address) { return address.rfind('@'); }

Result<void> check_dot_atom(std::string_view local) {
  bool previous_dot = true;  // a leading dot is as bad as a doubled one
  for (char ch : local) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (previous_dot) return invalid("local part has an empty dot-separated part");
      previous_dot = true;
      continue;
    }
    if (c >= 0x80) return invalid("non-ASCII local parts are not supported");
    if (!is_atext(c)) return invalid("local part holds a character that must be quoted");
    previous_dot = false;
  }
  if (previous_dot) return invalid("local part ends with a dot");
  return {};
}

// check_quoted_local - RFC 5321 Quoted-string: qtextSMTP or "\" %d32-126.
Result<void> check_quoted_local(std::string_view local) {
  if (local.size() < 3 || local.back() != '"') return invalid("quoted local part is empty or unterminated");
  for (std::size_t i = 1; i + 1 < local.size(); ++i) {
    const auto c = static_cast<unsigned char>(local[i]);
    if (c == '\\') {
      if (i + 2 >= local.size()) return invalid("quoted local part ends inside an escape");
      const auto next = static_cast<unsigned char>(local[++i]);
      if (next < 32 || next > 126) return invalid("quoted local part escapes a control character");
      continue;
    }
    if (c == '"') return invalid("quoted local part has an unescaped quote");
    if (c < 32 || c > 126) return invalid("quoted local part holds a control or non-ASCII character");
  }
  return {};
}

Result<void> check_label(std::string_view label) {
  if (label.empty()) return invalid("domain has an empty label");
  if (label.size() > kMaxLabel) return invalid("domain label longer than 63 octets");
  if (label.front() == '-' || label.back() == '-') return invalid("domain label starts or ends with '-'");
  for (char ch : label) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) continue;  // an IDN U-label, kept as given
    if (!std::isalnum(c) && c != '-') return invalid("domain label holds a character other than letter, digit, '-'");
  }
  if (!is_ascii(label)) {
    // The limit applies to the A-label that goes on the wire.
    auto encoded = punycode_encode(label);
    if (!encoded || encoded->size() + 4 > kMaxLabel) {
      return invalid("IDN domain label longer than 63 octets as an A-label");
    }
  }
  return {};
}

Result<void> check_domain(std::string_view domain) {
  if (domain.empty()) return invalid("domain is empty");
  if (domain.size() > kMaxDomain) return invalid("domain longer than 255 octets");
  if (!is_valid_utf8(domain)) return invalid("domain is not valid UTF-8");
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    auto ok = check_label(domain.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (!ok) return ok;
    if (dot == std::string_view::npos) return {};
    start = dot + 1;
  }
}

Result<void> check_addr_spec(std::string_view address) {
  if (address.empty()) return invalid("address is empty");
  if (address.size() > kMaxAddress) return invalid("address longer than 254 octets");
  const std::size_t at = last_at(address);
  if (at == std::string_view::npos) return invalid("address has no '@'");
  const std::string_view local = address.substr(0, at);
  if (local.empty()) return invalid("local part is empty");
  if (local.size() > kMaxLocal) return invalid("local part longer than 64 octets");
  auto ok = local.front() == '"' ? check_quoted_local(local) : check_dot_atom(local);
  if (!ok) return ok;
  ok = check_domain(address.substr(at + 1));
  if (!ok) return ok;
  if (address_to_ascii(address).size() > kMaxAddress) return invalid("address longer than 254 octets as sent");
  return {};
}

// find_unquoted - first position of c outside a quoted string, or npos.
std::size_t find_unquoted(std::string_view s, char c, std::size_t from = 0) {
  bool quoted = false;
  for (std::size_t i = from; i < s.size(); ++i) {
    if (quoted && s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      quoted = !quoted;
    } else if (!quoted && s[i] == c) {
      return i;
    }
  }
  return std::string_view::npos;
}

Result<void> check_display_text(std::string_view name) {
  if (!is_valid_utf8(name)) return invalid("display name is not valid UTF-8");
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return invalid("display name holds a control character");
  }
  return {};
}

// parse_quoted_name - "\"Quoted, Name\"" -> Quoted, Name (escapes removed).
Result<std::string> parse_quoted_name(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 1; i < quoted.size(); ++i) {
    const char c = quoted[i];
    if (c == '\\') {
      if (i + 1 >= quoted.size()) break;
      out += quoted[++i];
    } else if (c == '"') {
      if (i + 1 != quoted.size()) return invalid("text after the quoted display name");
      return out;
    } else {
      out += c;
    }
  }
  return invalid("display name has an unbalanced quote");
}

Result<std::string> parse_display_name(std::string_view raw) {
  raw = trim(raw);
  std::string name;
  if (!raw.empty() && raw.front() == '"') {
    auto parsed = parse_quoted_name(raw);
    if (!parsed) return parsed;
    name = std::move(*parsed);
  } else {
    if (raw.find_first_of("\"<>") != std::string_view::npos) {
      return invalid("display name holds an unquoted '\"', '<' or '>'");
    }
    name = std::string(raw);
  }
  auto ok = check_display_text(name);
  if (!ok) return tl::unexpected(ok.error());
  return name;
}

}  // namespace

std::string_view Mailbox::local_part() const {
  const std::size_t at = last_at(address);
  return at == std::string::npos ? std::string_view(address) : std::string_view(address).substr(0, at);
}

std::string_view Mailbox::domain() const {
  const std::size_t at = last_at(address);
  return at == std::string::npos ? std::string_view() : std::string_view(address).substr(at + 1);
}

Result<Mailbox> parse_mailbox(std::string_view text) {
  if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return invalid("mailbox holds CR, LF or NUL");
  }
  text = trim(text);
  if (text.empty()) return invalid("mailbox is empty");
  Mailbox mailbox;
  const std::size_t open = find_unquoted(text, '<');
  if (open == std::string_view::npos) {
    if (find_unquoted(text, '>') != std::string_view::npos) return invalid("mailbox has an unbalanced '>'");
    mailbox.address = std::string(text);
  } else {
    if (text.back() != '>') return invalid("mailbox has an unbalanced '<' or text after '>'");
    auto name = parse_display_name(text.substr(0, open));
    if (!name) return tl::unexpected(name.error());
    mailbox.display_name = std::move(*name);
    mailbox.address = std::string(text.substr(open + 1, text.size() - open - 2));
    if (find_unquoted(mailbox.address, '<') != std::string::npos ||
        find_unquoted(mailbox.address, '>') != std::string::npos) {
      return invalid("mailbox has nested or unbalanced angle brackets");
    }
  }
  auto ok = check_addr_spec(mailbox.address);
  if (!ok) return tl::unexpected(ok.error());
  return mailbox;
}

bool is_valid_address(std::string_view address) { return check_addr_spec(address).has_value(); }

std::string normalize_address(std::string_view address) {
  std::string out(address);
  const std::size_t at = last_at(address);
  if (at == std::string_view::npos) return out;
  for (std::size_t i = at + 1; i < out.size(); ++i) {
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  }
  return out;
}

}  // namespace tern::mailer
