// webhook_payload.hpp - the JSON bodies Resend sends to webhooks (pure).
//
// Envelope {type, created_at (ISO-8601, when the event happened), data}.
// Email events: data = {email_id, created_at, message_id, from, to (the
// recipients this event is about), subject, tags (an object map, not the
// request's [{name,value}] list)} plus, for email.bounced, bounce {type,
// subType, message, diagnosticCode} (camelCase, SES taxonomy) and, for
// email.failed, failed {reason} (resend-api.md §8.3).
// Domain events: data is the JSON object the publisher put in the stream.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/redis/email_record.hpp"
#include "store/util/result.hpp"
#include "store/util/time_format.hpp"

namespace tern::worker {

struct BounceInfo {
  std::string type;      // Permanent | Transient | Undetermined
  std::string sub_type;  // General | NoEmail | MailboxFull | MessageTooLarge | ContentRejected | ...
  std::string message;   // the remote reply's text, or the local reason
  std::vector<std::string> diagnostic_codes;  // "smtp; 550 5.1.1 user unknown"; empty without an SMTP reply
};

// classify_bounce - bounce details from the reply behind a bounce: the class
// from the basic or enhanced code, the sub-type from the enhanced code
// (x.1.1/x.1.3/x.1.6/x.1.10 NoEmail, x.2.2 MailboxFull, x.2.3/x.3.4
// MessageTooLarge, x.6.x ContentRejected, else General).
BounceInfo classify_bounce(const std::optional<store::RemoteReply>& reply);

// email_payload - the body for one email event.
std::string email_payload(const store::EmailContent& content, const store::EmailEvent& event);

// domain_payload - the body for a domain.* event; data_json must be a JSON
// object (Errc::invalid_argument otherwise).
Result<std::string> domain_payload(std::string_view type, std::string_view data_json, TimePoint at);

}  // namespace tern::worker
