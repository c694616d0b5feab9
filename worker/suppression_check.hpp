// suppression_check.hpp - the worker's two uses of the suppression list:
// before an attempt, skip recipients on it; after a hard bounce, add to it.
//
// apply_suppressions marks every pending (queued or deferred) recipient
// whose address is listed as RecipientStatus::suppressed (final: never
// attempted), with a local reply (code 0) naming the reason, and emits one
// email.suppressed event per such recipient. When no pending recipient is
// left, last_event becomes "suppressed". One Redis round trip per email.
//
// is_hard_bounce decides what goes on the list: a permanent (5xx) reply
// about the address, not about the message or the sender. Excluded, as
// they say nothing about the mailbox: x.2.3 and x.3.4 (message too large),
// x.6.x (content), x.7.x (policy: spam, DMARC, sender reputation). A 5xx
// without an enhanced code counts as hard (RFC 5321 says the address was
// refused). Local failures (code 0) never do.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/redis/email_store.hpp"
#include "store/redis/suppression_store.hpp"

namespace tern::worker {

struct SuppressionCheck {
  std::vector<std::string> suppressed;     // addresses as stored in the email
  std::vector<store::EmailEvent> events;   // email.suppressed, one per address
  bool all_suppressed = false;             // nothing pending is left
};

// mark_suppressed - the pure half: `listed` holds (recipient address as in
// the state, its suppression entry) for each listed pending recipient.
SuppressionCheck mark_suppressed(store::EmailState& state,
                                 const std::vector<std::pair<std::string, store::Suppression>>& listed,
                                 TimePoint now);

// apply_suppressions - look the pending recipients up and mark them.
Result<SuppressionCheck> apply_suppressions(store::SuppressionStore& suppressions, const store::StoredEmail& email,
                                            store::EmailState& state, TimePoint now);

// suppressed_reply - the reply stored for a suppressed recipient:
// "previous_bounce" / "previous_complaint" / "manual" in the text.
store::RemoteReply suppressed_reply(const store::Suppression& entry);

bool is_hard_bounce(const store::RemoteReply& reply);

// record_hard_bounce - add the address (origin bounce, source the email)
// when the reply is a hard bounce; true when it is on the list afterwards.
Result<bool> record_hard_bounce(store::SuppressionStore& suppressions, std::string_view team,
                                std::string_view address, std::string_view email_id,
                                const store::RemoteReply& reply, TimePoint now);

}  // namespace tern::worker
