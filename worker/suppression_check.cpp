// suppression_check.cpp - suppression lookups before sending and additions
// after hard bounces.
#include "worker/suppression_check.hpp"

#include <algorithm>

namespace tern::worker {
namespace {

bool pending(const store::RecipientState& r) {
  return r.status == store::RecipientStatus::queued || r.status == store::RecipientStatus::deferred;
}

const char* reason_of(store::SuppressionOrigin origin) {
  switch (origin) {
    case store::SuppressionOrigin::bounce: return "previous_bounce";
    case store::SuppressionOrigin::complaint: return "previous_complaint";
    case store::SuppressionOrigin::manual: return "manual";
  }
  return "manual";
}

}  // namespace

store::RemoteReply suppressed_reply(const store::Suppression& entry) {
  return store::RemoteReply{0, "", std::string("Not sent: the address is on the suppression list (") +
                                       reason_of(entry.origin) + ")",
                            ""};
}

SuppressionCheck mark_suppressed(store::EmailState& state,
                                 const std::vector<std::pair<std::string, store::Suppression>>& listed,
                                 TimePoint now) {
  SuppressionCheck check;
  for (const auto& [address, entry] : listed) {
    auto it = std::find_if(state.recipients.begin(), state.recipients.end(),
                           [&](const store::RecipientState& r) { return r.address == address && pending(r); });
    if (it == state.recipients.end()) continue;
    it->status = store::RecipientStatus::suppressed;
    it->last_reply = suppressed_reply(entry);
    check.suppressed.push_back(address);
    check.events.push_back(store::EmailEvent{"email.suppressed", now, {address}, it->last_reply});
  }
  check.all_suppressed = !check.suppressed.empty() && std::none_of(state.recipients.begin(), state.recipients.end(), pending);
  if (check.all_suppressed) state.last_event = "suppressed";
  return check;
}

Result<SuppressionCheck> apply_suppressions(store::SuppressionStore& suppressions, const store::StoredEmail& email,
                                            store::EmailState& state, TimePoint now) {
  std::vector<std::string> addresses;
  for (const auto& r : state.recipients)
    if (pending(r)) addresses.push_back(r.address);
  if (addresses.empty()) return SuppressionCheck{};
  auto found = suppressions.suppressed_among(email.content.team, addresses);
  if (!found) return tl::unexpected(found.error());
  std::vector<std::pair<std::string, store::Suppression>> listed;
  for (std::size_t i = 0; i < addresses.size(); ++i)
    if ((*found)[i]) listed.emplace_back(addresses[i], *(*found)[i]);
  return mark_suppressed(state, listed, now);
}

bool is_hard_bounce(const store::RemoteReply& reply) {
  if (reply.code < 500 || reply.code > 599) return false;
  const std::string& e = reply.enhanced;
  if (e.size() < 5 || e[0] != '5') return true;  // no (or a disagreeing) enhanced code: the basic code decides
  auto subject_detail = e.substr(2);
  if (subject_detail == "2.3" || subject_detail == "3.4") return false;
  if (subject_detail.rfind("6.", 0) == 0 || subject_detail.rfind("7.", 0) == 0) return false;
  return true;
}

Result<bool> record_hard_bounce(store::SuppressionStore& suppressions, std::string_view team,
                                std::string_view address, std::string_view email_id,
                                const store::RemoteReply& reply, TimePoint now) {
  if (!is_hard_bounce(reply)) return false;
  auto added = suppressions.add(team, address, store::SuppressionOrigin::bounce, std::string(email_id), now);
  if (!added) return tl::unexpected(added.error());
  return true;
}

}  // namespace tern::worker
