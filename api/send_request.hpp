// send_request.hpp - the body of POST /emails, validated into a typed request.
//
// Pure: no HTTP, no Redis, no clock except where `now` is passed in. The
// field rules are resend-api.md §5.1: from/to/subject required, to/cc/bcc/
// reply_to a string or an array of strings, html or text (at least one),
// headers an object of strings, tags [{name,value}], scheduled_at ISO 8601
// or natural language (schedule_parse.hpp), attachments (attachments.hpp).
// null counts as absent; unknown fields are ignored. Anything Tern cannot do
// yet (templates, remote attachment paths) is refused with a 422 that says
// so, never silently dropped.
//
// Errors carry Resend's names: missing_required_field ("Missing `to` field."),
// invalid_from_address, and validation_error for everything else. CR, LF or
// NUL in any address or the subject, and in custom header names and values,
// is a validation_error (header injection).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/errors.hpp"
#include "api/schedule_parse.hpp"
#include "store/redis/email_record.hpp"
#include "store/util/time_format.hpp"

namespace tern::api {

inline constexpr std::size_t kMaxRecipients = 50;           // to + cc + bcc (Resend: 50)
inline constexpr std::size_t kMaxSubjectBytes = 998;        // RFC 5322 line limit
inline constexpr std::size_t kMaxBodyBytes = 10 * 1024 * 1024;  // each of html, text
inline constexpr std::size_t kMaxCustomHeaders = 50;
inline constexpr std::size_t kMaxTags = 75;
inline constexpr std::size_t kMaxTagLength = 256;
inline constexpr std::chrono::hours kMaxScheduleAhead{24 * 30};

struct SendRequest {
  std::string from;         // as given: "Name <a@b>" or "a@b"
  std::string from_domain;  // the domain of the from address, for the sender policy
  std::vector<std::string> to, cc, bcc, reply_to;  // as given, each a valid mailbox
  std::string subject;
  std::optional<std::string> html;
  std::optional<std::string> text;
  std::vector<std::pair<std::string, std::string>> headers;  // in the order given
  std::vector<store::Tag> tags;
  std::optional<TimePoint> scheduled_at;           // an absolute scheduled_at (ISO 8601)
  std::optional<ScheduleSpec> relative_schedule;   // "in 1 min", "tomorrow at 9am": resolved against now
  std::vector<store::Attachment> attachments;
};

// scheduled_time - when the email should go: the relative schedule resolved
// against now, else scheduled_at, else nullopt (at once).
std::optional<TimePoint> scheduled_time(const SendRequest& request, TimePoint now);

// parse_send_request - body bytes -> SendRequest (JSON rules of json_body.hpp).
ApiResult<SendRequest> parse_send_request(std::string_view body);

// validate_send_request - one already-parsed JSON object (also for batch).
ApiResult<SendRequest> validate_send_request(const nlohmann::ordered_json& object);

// check_schedule - scheduled_time() at most kMaxScheduleAhead after now. A
// time in the past is accepted and means "send now".
ApiResult<void> check_schedule(const SendRequest& request, TimePoint now);

// to_email_content - what the store keeps. The scheduled time is kept only
// when it lies after now (so initial_state() says "scheduled" only then).
store::EmailContent to_email_content(const SendRequest& request, std::string team, std::string id,
                                     std::string message_id, TimePoint now);

}  // namespace tern::api
