// email_record.hpp - an accepted email as stored in Redis, and its delivery
// state. Content is immutable after acceptance; state changes per attempt.
// Pure data plus JSON (de)serialisation; no I/O.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/util/result.hpp"
#include "store/util/time_format.hpp"

namespace tern::store {

struct Tag {
  std::string name;
  std::string value;
};

// Attachment - one file of an email, kept with its content (decoded bytes
// in memory, base64 in the stored JSON). content_id non-empty = inline.
struct Attachment {
  std::string filename;
  std::string content_type;
  std::string content_id;
  std::string content;  // raw bytes
};

struct EmailContent {
  std::string id;
  std::string team;
  std::string from;  // as given, "Name <a@b>"
  std::vector<std::string> to, cc, bcc, reply_to;
  std::string subject;
  std::optional<std::string> html;
  std::optional<std::string> text;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<Tag> tags;
  std::string message_id;  // "<...@hostname>", fixed at acceptance, reused by every retry
  TimePoint created_at{};
  std::optional<TimePoint> scheduled_at;
  std::vector<Attachment> attachments;  // stored only when non-empty
  // raw_mime - the message exactly as an SMTP submission client built it
  // (CRLF, dot-stuffing removed). When set it is sent as is, with only Bcc
  // removed and Date/Message-ID added when missing; html, text, headers and
  // attachments are then unused. Stored base64, only when set.
  std::optional<std::string> raw_mime;
};

// suppressed: not attempted, the address is on the team's suppression list
// (final, like delivered/bounced/failed).
enum class RecipientStatus { queued, delivered, deferred, bounced, failed, suppressed };
const char* to_string(RecipientStatus status);

// RemoteReply - what the remote side said (or a local reason with code 0),
// kept intact for the API and webhooks.
struct RemoteReply {
  int code = 0;          // SMTP basic code; 0 when no reply (DNS, connect, timeout)
  std::string enhanced;  // "5.1.1" or empty
  std::string text;
  std::string host;      // MX host that answered, if any
};

struct RecipientState {
  std::string address;
  RecipientStatus status = RecipientStatus::queued;
  int attempts = 0;
  std::optional<RemoteReply> last_reply;
};

struct EmailState {
  std::string last_event;  // Resend's enum: sent, delivered, delivery_delayed, bounced, failed, ...
  std::vector<RecipientState> recipients;
  int attempts = 0;
  bool delayed_reported = false;  // delivery_delayed is reported once per email
  std::optional<TimePoint> next_attempt_at;

  bool finished() const;  // no recipient queued or deferred
};

struct EmailEvent {
  std::string type;  // "email.sent", "email.delivered", ...
  TimePoint at{};
  std::vector<std::string> recipients;
  std::optional<RemoteReply> reply;
};

std::string content_to_json(const EmailContent& content);
Result<EmailContent> content_from_json(std::string_view json);
// summary_to_json - content_to_json without html, text, headers, tags and
// attachments: what a list of emails needs (content_from_json reads it).
std::string summary_to_json(const EmailContent& content);
std::string state_to_json(const EmailState& state);
Result<EmailState> state_from_json(std::string_view json);
std::string event_to_json(const EmailEvent& event);
Result<EmailEvent> event_from_json(std::string_view json);

// initial_state - every to/cc/bcc address queued (duplicates collapsed,
// case-insensitive), last_event "sent" (or "scheduled").
EmailState initial_state(const EmailContent& content);

}  // namespace tern::store
