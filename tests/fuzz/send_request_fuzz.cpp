// send_request_fuzz.cpp - libFuzzer target for api::parse_send_request, the
// body of POST /emails.
//
// Invariants: no exception escapes; a refusal is a 4xx with a canonical
// Resend error name and a body that is valid JSON; an accepted request has a
// from that parses as a mailbox, at least one and at most kMaxRecipients
// recipients that all parse, html or text, a subject within limits, and no
// CR, LF or NUL in anything that reaches a header or the SMTP envelope
// (addresses, subject, custom header names and values, attachment names);
// its custom headers pass validate_custom_header; it converts to the stored
// form without trouble.
#include <string>

#include <nlohmann/json.hpp>

#include "api/errors.hpp"
#include "api/send_request.hpp"
#include "mailer/address.hpp"
#include "mailer/message.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace api = tern::api;
using tern::fuzz::has_any_of;
using tern::fuzz::kCrLfNul;

void check_error(const api::ApiError& error) {
  FUZZ_CHECK(error.status >= 400 && error.status < 500, "a refusal that is not 4xx");
  FUZZ_CHECK(api::is_canonical_name(error.name), "error name not one the SDKs know");
  const auto body = nlohmann::json::parse(api::to_body(error), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!body.is_discarded() && body.value("statusCode", 0) == error.status, "error body broken");
}

void check_mailboxes(const std::vector<std::string>& list) {
  for (const auto& text : list) {
    FUZZ_CHECK(!has_any_of(text, kCrLfNul), "CR, LF or NUL in an accepted recipient");
    FUZZ_CHECK(tern::mailer::parse_mailbox(text).has_value(), "accepted recipient does not parse");
  }
}

void check_request(const api::SendRequest& request) {
  auto from = tern::mailer::parse_mailbox(request.from);
  FUZZ_CHECK(from.has_value(), "accepted from does not parse");
  FUZZ_CHECK(!has_any_of(request.from, kCrLfNul), "CR, LF or NUL in from");
  check_mailboxes(request.to);
  check_mailboxes(request.cc);
  check_mailboxes(request.bcc);
  check_mailboxes(request.reply_to);
  const std::size_t recipients = request.to.size() + request.cc.size() + request.bcc.size();
  FUZZ_CHECK(!request.to.empty() && recipients <= api::kMaxRecipients, "recipient count out of range");
  FUZZ_CHECK(request.html || request.text, "neither html nor text");
  FUZZ_CHECK(request.subject.size() <= api::kMaxSubjectBytes, "subject over the limit");
  FUZZ_CHECK(!has_any_of(request.subject, kCrLfNul), "CR, LF or NUL in the subject");
  FUZZ_CHECK(request.headers.size() <= api::kMaxCustomHeaders, "too many custom headers");
  for (const auto& [name, value] : request.headers) {
    FUZZ_CHECK(tern::mailer::validate_custom_header(name, value).has_value(), "custom header accepted unchecked");
  }
  FUZZ_CHECK(request.tags.size() <= api::kMaxTags, "too many tags");
  for (const auto& attachment : request.attachments) {
    FUZZ_CHECK(!has_any_of(attachment.content_type, kCrLfNul), "CR, LF or NUL in a content type");
    FUZZ_CHECK(!has_any_of(attachment.content_id, kCrLfNul), "CR, LF or NUL in a content id");
  }
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  (void)api::scheduled_time(request, now);
  if (auto scheduled = api::check_schedule(request, now); !scheduled) check_error(scheduled.error());
  (void)api::to_email_content(request, "team_fuzz", "id_fuzz", "<fuzz@tern.example>", now);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto request = api::parse_send_request(tern::fuzz::as_view(data, size));
  if (request) {
    check_request(*request);
  } else {
    check_error(request.error());
  }
  return 0;
}
