// message.hpp - the RFC 5322 / MIME message Tern sends, built as CRLF bytes.
//
// build_message promises: CRLF line endings only; no line longer than 998
// octets (bodies are quoted-printable or base64, headers folded); non-ASCII
// in Subject and display names as RFC 2047 encoded-words; multipart/
// alternative when both text and html are present; no Bcc header.
// Custom headers must already be validated (validate_custom_header).
// Attachments (mime_parts.hpp): inline ones (with a content_id) wrap the
// body in multipart/related, the others in multipart/mixed; each is base64
// in 76-column lines; filenames are RFC 2231-encoded when not plain ASCII;
// a filename, content type or content id can never inject a header line.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mailer/address.hpp"
#include "store/util/result.hpp"

namespace tern::mailer {

// Attachment - one file. content_id non-empty makes it inline: it goes in
// multipart/related beside the body and the html refers to it as cid:<id>.
struct Attachment {
  std::string filename;      // UTF-8; may be empty
  std::string content_type;  // "application/pdf"; invalid -> application/octet-stream
  std::string content;       // raw bytes
  std::string content_id;    // without angle brackets; empty = a regular attachment
};

struct OutgoingMessage {
  Mailbox from;
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::vector<Mailbox> reply_to;
  std::string subject;                 // UTF-8
  std::optional<std::string> text;     // UTF-8
  std::optional<std::string> html;     // UTF-8
  std::vector<std::pair<std::string, std::string>> headers;  // custom, in order
  std::string message_id;              // "<id@host>"
  std::chrono::system_clock::time_point date;
  std::string mime_boundary_seed;      // makes boundaries deterministic in tests; empty = random
  std::vector<Attachment> attachments;  // in order; inline ones first is not required
};

std::string build_message(const OutgoingMessage& message);

// validate_custom_header - name must be ftext (printable ASCII without ':'),
// value must hold no CR, LF or NUL, and the name must not be one Tern owns
// (From, To, Cc, Bcc, Sender, Subject, Date, Message-ID, MIME-Version,
// Content-*, Return-Path, Received, DKIM-Signature). Reply-To is also ours.
Result<void> validate_custom_header(std::string_view name, std::string_view value);

// is_valid_content_type - "type/subtype" of RFC 2045 tokens, optionally
// followed by "; attribute=value" parameters (token or quoted-string), no
// control characters, at most 255 bytes.
bool is_valid_content_type(std::string_view text);

// is_valid_content_id - 1..127 characters of RFC 5322 atext plus '.' and
// '@' (the inside of "<...>"), so it is safe in a header and in "cid:".
bool is_valid_content_id(std::string_view text);

// make_message_id - "<uuid-ish@hostname>", stable once made at acceptance.
std::string make_message_id(std::string_view unique, std::string_view hostname);

}  // namespace tern::mailer
