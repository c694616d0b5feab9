// bounce_recorder.cpp - reports to email state, events and suppressions.
#include "worker/bounce_recorder.hpp"

#include <cctype>

#include "store/util/log.hpp"
#include "worker/suppression_check.hpp"

namespace tern::worker {
namespace {

// leading_code - "550 5.1.1 ..." or "550-5.1.1 ..." -> 550; 0 otherwise.
int leading_code(std::string_view text) {
  if (text.size() < 3) return 0;
  for (int i = 0; i < 3; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return 0;
  if (text.size() > 3 && text[3] != ' ' && text[3] != '-') return 0;
  int code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
  return code >= 200 && code < 600 ? code : 0;
}

}  // namespace

store::RemoteReply dsn_reply(const mailer::DsnRecipient& r, const std::string& reporting_mta) {
  store::RemoteReply reply;
  if (r.diagnostic_type == "smtp") reply.code = leading_code(r.diagnostic_code);
  if (reply.code == 0) reply.code = (!r.status.empty() && r.status[0] == '4') ? 450 : 550;
  reply.enhanced = r.status;
  reply.text = !r.diagnostic_code.empty() ? r.diagnostic_code : "delivery failed (status " + r.status + ")";
  reply.host = !r.remote_mta.empty() ? r.remote_mta : reporting_mta;
  return reply;
}

Result<void> BounceRecorder::on_report(const std::string& email_id, const mailer::ParsedReport& report) {
  if (report.kind == mailer::ReportKind::delivery_status) return record_bounces(email_id, report);
  if (report.feedback_type == "abuse") return record_complaint(email_id, report);
  log::info("feedback report ignored", {{"email_id", email_id}, {"feedback_type", report.feedback_type}});
  return {};
}

Result<void> BounceRecorder::record_bounces(const std::string& email_id, const mailer::ParsedReport& report) {
  for (const auto& r : report.recipients) {
    if (r.action != mailer::DsnAction::failed) continue;
    store::AsyncOutcome outcome{r.final_recipient, store::RecipientStatus::bounced,
                                dsn_reply(r, report.reporting_mta), "email.bounced", clock_.now()};
    std::vector<std::string> candidates{r.final_recipient};
    if (!r.original_recipient.empty()) candidates.push_back(r.original_recipient);
    std::optional<store::SuppressionOrigin> origin;
    if (is_hard_bounce(*outcome.reply)) origin = store::SuppressionOrigin::bounce;
    if (auto done = record(email_id, candidates, outcome, origin); !done) return done;
  }
  return {};
}

Result<void> BounceRecorder::record_complaint(const std::string& email_id, const mailer::ParsedReport& report) {
  std::vector<std::string> candidates = report.original_rcpt_to;
  if (candidates.empty()) {
    auto stored = emails_.get_any(email_id);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) {
      log::info("complaint about an unknown email dropped", {{"email_id", email_id}});
      return {};
    }
    if ((*stored)->state.recipients.size() != 1) {
      log::info("complaint names no recipient and the email has several; dropped", {{"email_id", email_id}});
      return {};
    }
    candidates.push_back((*stored)->state.recipients.front().address);
  }
  for (const auto& address : candidates) {
    store::AsyncOutcome outcome{address, std::nullopt, std::nullopt, "email.complained", clock_.now()};
    if (auto done = record(email_id, {address}, outcome, store::SuppressionOrigin::complaint); !done) return done;
  }
  return {};
}

Result<void> BounceRecorder::record(const std::string& email_id, const std::vector<std::string>& candidates,
                                    const store::AsyncOutcome& outcome,
                                    std::optional<store::SuppressionOrigin> origin) {
  for (const auto& address : candidates) {
    store::AsyncOutcome attempt = outcome;
    attempt.recipient = address;
    auto recorded = emails_.record_async_outcome(email_id, attempt);
    if (!recorded) return tl::unexpected(recorded.error());
    if (recorded->status == store::AsyncRecordStatus::unknown_email) {
      log::info("report about an unknown email dropped", {{"email_id", email_id}, {"event", outcome.event_type}});
      return {};
    }
    if (recorded->status == store::AsyncRecordStatus::unknown_recipient) continue;
    log::info("asynchronous report recorded",
              {{"email_id", email_id}, {"event", outcome.event_type}, {"recipient", recorded->recipient},
               {"duplicate", recorded->status == store::AsyncRecordStatus::duplicate ? "true" : "false"}});
    if (!origin) return {};
    // Also on a duplicate: the first report may have failed between the two writes.
    auto added = suppressions_.add(recorded->team, recorded->recipient, *origin, email_id, outcome.at);
    if (!added) return tl::unexpected(added.error());
    return {};
  }
  log::info("report about a recipient the email does not have; dropped",
            {{"email_id", email_id}, {"recipient", outcome.recipient}});
  return {};
}

}  // namespace tern::worker
