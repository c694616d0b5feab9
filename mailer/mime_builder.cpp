// mime_builder.cpp - build_message and validate_custom_header (message.hpp).
//
// Layout: From, To, Cc, Reply-To, Subject, Date, Message-ID, MIME-Version,
// the custom headers in the caller's order, then Content-Type (and
// Content-Transfer-Encoding for a single part). Bodies are always
// quoted-printable UTF-8: QP is 7-bit safe whatever the text holds, so the
// message never needs 8BITMIME and no line exceeds 76 characters.
// The multipart boundary is "=_tern_" + 32 hex digits: "=_" cannot occur in
// QP output (nor '_' in base64 attachments), so the boundary cannot collide
// with a body. With attachments the body is nested: mixed[related[body,
// inline...], attachment...], each container only when needed, each level
// with its own boundary. Custom headers that
// fail validate_custom_header are dropped, so a caller that forgot to
// validate still cannot smuggle in a Bcc or a second From.
#include <algorithm>
#include <array>
#include <cctype>

#include "mailer/header_encoding.hpp"
#include "mailer/header_folding.hpp"
#include "mailer/message.hpp"
#include "mailer/mime_parts.hpp"
#include "mailer/transfer_encoding.hpp"
#include "mailer/utf8.hpp"
#include "store/util/encoding.hpp"
#include "store/util/time_format.hpp"

namespace tern::mailer {
namespace {

constexpr std::size_t kMaxHeaderName = 76;
constexpr std::size_t kMaxHeaderValue = 998;

// Headers Tern writes itself; a custom header may not replace or add to them.
constexpr std::array<std::string_view, 14> kOwnedHeaders = {
    "from",        "to",       "cc",          "bcc",          "sender",   "subject",        "date",
    "message-id",  "reply-to", "mime-version", "return-path", "received", "dkim-signature", "content-"};

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_owned_header(std::string_view name) {
  const std::string lower = lowercase(name);
  return std::any_of(kOwnedHeaders.begin(), kOwnedHeaders.end(), [&](std::string_view owned) {
    return owned.back() == '-' ? lower.rfind(owned, 0) == 0 : lower == owned;
  });
}

std::string make_boundary(std::string_view seed) {
  const std::string raw = seed.empty() ? random_bytes(16) : sha256(seed).substr(0, 16);
  return "=_tern_" + hex_encode(raw);
}

// nested_boundary - a boundary for an outer container; differs from the
// body's (and from each other) even when the seed is fixed.
std::string nested_boundary(std::string_view seed, std::string_view level) {
  return make_boundary(seed.empty() ? std::string_view() : std::string(seed) + ":" + std::string(level));
}

void add_mailboxes(std::string& out, std::string_view name, const std::vector<Mailbox>& list) {
  if (list.empty()) return;
  out += fold_header(name, mailbox_list_pieces(list, first_line_budget(name)));
}

void add_text(std::string& out, std::string_view name, std::string_view value) {
  out += fold_header(name, unstructured_pieces(value, first_line_budget(name)));
}

std::string part_headers(std::string_view subtype) {
  return "Content-Type: text/" + std::string(subtype) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";
}

std::string envelope_headers(const OutgoingMessage& message) {
  std::string out;
  add_mailboxes(out, "From", {message.from});
  add_mailboxes(out, "To", message.to);
  add_mailboxes(out, "Cc", message.cc);
  add_mailboxes(out, "Reply-To", message.reply_to);
  add_text(out, "Subject", message.subject);
  out += "Date: " + format_rfc5322_date(message.date) + "\r\n";
  if (!message.message_id.empty()) add_text(out, "Message-ID", message.message_id);
  out += "MIME-Version: 1.0\r\n";
  for (const auto& [name, value] : message.headers) {
    if (validate_custom_header(name, value)) add_text(out, name, value);
  }
  return out;
}

// single_part - one text part; the body always ends with CRLF.
std::string single_part(std::string_view subtype, std::string_view text) {
  std::string out = part_headers(subtype) + "\r\n" + encode_quoted_printable(text);
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

// alternative - text then html (RFC 2046 §5.1.4: the preferred part last).
// Each body is followed by the CRLF that belongs to the next delimiter, so
// the decoded parts are exactly the (CRLF-normalised) input.
std::string alternative(const OutgoingMessage& message) {
  const std::string boundary = make_boundary(message.mime_boundary_seed);
  std::string out = fold_header("Content-Type", {"multipart/alternative;", " boundary=\"" + boundary + "\""});
  out += "\r\n";
  out += "--" + boundary + "\r\n" + part_headers("plain") + "\r\n" + encode_quoted_printable(*message.text) + "\r\n";
  out += "--" + boundary + "\r\n" + part_headers("html") + "\r\n" + encode_quoted_printable(*message.html) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

// body_entity - the text and/or html entity.
std::string body_entity(const OutgoingMessage& message) {
  if (message.text && message.html) return alternative(message);
  if (message.html) return single_part("html", *message.html);
  return single_part("plain", message.text.value_or(std::string()));
}

// with_attachments - RFC 2387 related (body + inline parts) inside RFC 2046
// mixed (that + regular attachments); each layer only when needed.
std::string with_attachments(const OutgoingMessage& message) {
  std::vector<std::string> related = {body_entity(message)};
  std::vector<std::string> mixed;
  for (const auto& attachment : message.attachments) {
    if (is_valid_content_id(attachment.content_id)) related.push_back(attachment_entity(attachment));
    else mixed.push_back(attachment_entity(attachment));
  }
  std::string inner = related.size() == 1
                          ? std::move(related.front())
                          : multipart_entity("related", nested_boundary(message.mime_boundary_seed, "related"), related);
  if (mixed.empty()) return inner;
  mixed.insert(mixed.begin(), std::move(inner));
  return multipart_entity("mixed", nested_boundary(message.mime_boundary_seed, "mixed"), mixed);
}

}  // namespace

std::string build_message(const OutgoingMessage& message) {
  std::string out = envelope_headers(message);
  out += message.attachments.empty() ? body_entity(message) : with_attachments(message);
  return out;
}

Result<void> validate_custom_header(std::string_view name, std::string_view value) {
  if (name.empty() || name.size() > kMaxHeaderName) {
    return fail(Errc::invalid_argument, "header name must be 1 to 76 characters");
  }
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 33 || c > 126 || c == ':') {
      return fail(Errc::invalid_argument, "header name may hold only printable ASCII other than ':'");
    }
  }
  if (is_owned_header(name)) {
    return fail(Errc::invalid_argument, "header " + std::string(name) + " is set by Tern and cannot be overridden");
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return fail(Errc::invalid_argument, "header " + std::string(name) + " value holds CR, LF or NUL");
  }
  if (value.size() > kMaxHeaderValue) {
    return fail(Errc::invalid_argument, "header " + std::string(name) + " value longer than 998 octets");
  }
  if (!is_valid_utf8(value)) {
    return fail(Errc::invalid_argument, "header " + std::string(name) + " value is not valid UTF-8");
  }
  return {};
}

}  // namespace tern::mailer
