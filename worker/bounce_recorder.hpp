// bounce_recorder.hpp - the BounceSink that records reports in Redis.
//
// A DSN (RFC 3464): each recipient whose Action is "failed" and who is
// among the email's recipients (Final-Recipient, else Original-Recipient;
// case-insensitive) becomes RecipientStatus::bounced with the DSN's status
// and diagnostic as its RemoteReply, last_event "bounced", an email.bounced
// event (EmailStore::record_async_outcome); if the reply is a hard bounce
// (suppression_check.hpp) the address goes on the team's suppression list
// (origin bounce, source_id the email). Other actions (delayed, delivered,
// relayed, expanded) change nothing.
// An ARF report (RFC 5965) of Feedback-Type "abuse": each Original-Rcpt-To
// among the email's recipients (or, when the report names none - many
// feedback loops redact it - the email's only recipient) gets an
// email.complained event, last_event "complained", and a suppression of
// origin complaint. Its delivery status is left as it was.
// Reports about an unknown email or recipient are logged and dropped (the
// listener still answers 250). A Redis failure is returned (the listener
// answers 451 and the sender retries); what was recorded before it is not
// recorded twice, because duplicates are detected.
#pragma once

#include "store/redis/email_store.hpp"
#include "store/redis/suppression_store.hpp"
#include "store/util/clock.hpp"
#include "worker/bounce_listener.hpp"

namespace tern::worker {

// dsn_reply - a failed DSN recipient as a RemoteReply: the basic code from
// an "smtp;" Diagnostic-Code when it starts with one, else 550/450 from the
// status class; the enhanced code from Status; the diagnostic as text; the
// Remote-MTA (else the Reporting-MTA) as host. Pure.
store::RemoteReply dsn_reply(const mailer::DsnRecipient& recipient, const std::string& reporting_mta);

class BounceRecorder final : public BounceSink {
 public:
  BounceRecorder(store::RedisPool& pool, const Clock& clock) : emails_(pool), suppressions_(pool), clock_(clock) {}

  Result<void> on_report(const std::string& email_id, const mailer::ParsedReport& report) override;

 private:
  Result<void> record_bounces(const std::string& email_id, const mailer::ParsedReport& report);
  Result<void> record_complaint(const std::string& email_id, const mailer::ParsedReport& report);
  // record - one outcome, then the suppression when `origin` is set.
  Result<void> record(const std::string& email_id, const std::vector<std::string>& candidates,
                      const store::AsyncOutcome& outcome, std::optional<store::SuppressionOrigin> origin);

  store::EmailStore emails_;
  store::SuppressionStore suppressions_;
  const Clock& clock_;
};

}  // namespace tern::worker
