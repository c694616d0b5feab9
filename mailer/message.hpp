// message.hpp - the RFC 5322 / MIME message Tern sends, built as CRLF bytes.
//
// build_message promises: CRLF line endings only; no line longer than 998
// octets (bodies are quoted-printable or base64, headers folded); non-ASCII
// in Subject and display names as RFC 2047 encoded-words; multipart/
// alternative when both text and html are present; no Bcc header.
// Custom headers must already be validated (validate_custom_header).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mailer/address.hpp"
#include "store/util/result.hpp"

namespace tern::mailer {

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
};

std::string build_message(const OutgoingMessage& message);

// validate_custom_header - name must be ftext (printable ASCII without ':'),
// value must hold no CR, LF or NUL, and the name must not be one Tern owns
// (From, To, Cc, Bcc, Sender, Subject, Date, Message-ID, MIME-Version,
// Content-*, Return-Path, Received, DKIM-Signature). Reply-To is also ours.
Result<void> validate_custom_header(std::string_view name, std::string_view value);

// make_message_id - "<uuid-ish@hostname>", stable once made at acceptance.
std::string make_message_id(std::string_view unique, std::string_view hostname);

}  // namespace tern::mailer
