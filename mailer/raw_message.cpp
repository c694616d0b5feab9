// raw_message.cpp - inspecting and completing client-built messages.
#include "mailer/raw_message.hpp"

#include "mailer/address.hpp"
#include "mailer/dkim/canonicalize.hpp"
#include "mailer/header_encoding.hpp"
#include "mailer/utf8.hpp"
#include "store/util/time_format.hpp"

namespace tern::mailer {
namespace {

constexpr std::size_t kMaxLine = 998;  // RFC 5322 §2.1.1, without CRLF

using dkim::equals_ignore_case;

// unfold_trimmed - a raw field value as one line: folding CRLFs removed, ends trimmed.
std::string unfold_trimmed(std::string_view value) {
  std::string out = unfold(value);
  auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  auto last = out.find_last_not_of(" \t");
  return out.substr(first, last - first + 1);
}

// readable - decoded encoded-words when they give valid UTF-8, else the
// text as written with any non-UTF-8 byte replaced.
std::string readable(const std::string& text) {
  std::string decoded = sanitize_header_text(decode_encoded_words(text));
  if (is_valid_utf8(decoded)) return decoded;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_char_length(text, i);
    if (n == 1 && static_cast<unsigned char>(text[i]) >= 0x80) {
      out += '?';
      ++i;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
  return out;
}

// from_mailbox - the From value as a mailbox: the whole of it when it parses,
// else the address in its last <...>, else the text before a (comment).
Result<Mailbox> from_mailbox(const std::string& value) {
  if (auto m = parse_mailbox(readable(value))) return m;
  std::string_view v = value;
  auto open = v.rfind('<');
  auto close = v.rfind('>');
  std::string_view address;
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    address = v.substr(open + 1, close - open - 1);
  else
    address = v.substr(0, v.find('('));
  while (!address.empty() && (address.back() == ' ' || address.back() == '\t')) address.remove_suffix(1);
  auto m = parse_mailbox(address);
  if (!m) return fail(Errc::invalid_argument, "the From header holds no single valid address");
  return m;
}

Result<void> check_bytes(std::string_view message) {
  std::size_t line_start = 0;
  bool in_header = true;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '\0') return fail(Errc::invalid_argument, "the message holds a NUL byte");
    if (c == '\r' && (i + 1 == message.size() || message[i + 1] != '\n'))
      return fail(Errc::invalid_argument, "the message holds a bare CR");
    if (c != '\n') continue;
    std::size_t length = i - line_start;
    if (length > 0 && message[i - 1] == '\r') --length;
    if (in_header && length > kMaxLine)
      return fail(Errc::invalid_argument, "a header line is longer than 998 octets");
    if (length == 0) in_header = false;  // the empty line
    line_start = i + 1;
  }
  return {};
}

}  // namespace

Result<RawMessageFacts> inspect_raw_message(std::string_view message) {
  if (auto ok = check_bytes(message); !ok) return tl::unexpected(ok.error());
  auto split = dkim::split_message(message);
  if (!split) return fail(Errc::invalid_argument, "the header section does not parse: " + split.error().message);
  RawMessageFacts facts;
  int from = 0, subject = 0, message_id = 0;
  for (const auto& field : split->headers) {
    if (equals_ignore_case(field.name, "From")) {
      if (++from > 1) return fail(Errc::invalid_argument, "the message has more than one From header");
      auto mailbox = from_mailbox(unfold_trimmed(field.value));
      if (!mailbox) return tl::unexpected(mailbox.error());
      facts.from_address = mailbox->address;
      facts.from = mailbox->display_name.empty() ? mailbox->address
                                                 : mailbox->display_name + " <" + mailbox->address + ">";
    } else if (equals_ignore_case(field.name, "Subject")) {
      if (++subject > 1) return fail(Errc::invalid_argument, "the message has more than one Subject header");
      facts.subject = readable(unfold_trimmed(field.value));
    } else if (equals_ignore_case(field.name, "Message-ID")) {
      if (++message_id > 1) return fail(Errc::invalid_argument, "the message has more than one Message-ID header");
      std::string id = unfold_trimmed(field.value);
      if (id.size() < 3 || id.front() != '<' || id.back() != '>' || !is_ascii(id))
        return fail(Errc::invalid_argument, "the Message-ID header is not <id-left@id-right>");
      facts.message_id = std::move(id);
    } else if (equals_ignore_case(field.name, "Date")) {
      facts.has_date = true;
    }
  }
  if (from == 0) return fail(Errc::invalid_argument, "the message has no From header");
  return facts;
}

std::string complete_raw_message(std::string_view message, std::chrono::system_clock::time_point date,
                                 std::string_view message_id) {
  auto split = dkim::split_message(message);
  if (!split) return std::string(message);  // not inspected: leave it to the signer to refuse
  bool has_date = false, has_id = false;
  std::string headers;
  for (const auto& field : split->headers) {
    if (equals_ignore_case(field.name, "Bcc")) continue;
    has_date = has_date || equals_ignore_case(field.name, "Date");
    has_id = has_id || equals_ignore_case(field.name, "Message-ID");
    headers.append(field.name).append(":").append(field.value).append("\r\n");
  }
  std::string out;
  if (!has_date) out += "Date: " + format_rfc5322_date(date) + "\r\n";
  if (!has_id) out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += headers;
  out += "\r\n";
  out += split->body;
  return out;
}

}  // namespace tern::mailer
