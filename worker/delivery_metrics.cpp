// delivery_metrics.cpp - state before vs. after, recipient by recipient.
#include "worker/delivery_metrics.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace tern::worker {
namespace {

const store::RecipientState* find(const store::EmailState& state, const std::string& address) {
  for (const auto& r : state.recipients)
    if (r.address == address) return &r;
  return nullptr;
}

const char* outcome_label(store::RecipientStatus status) {
  switch (status) {
    case store::RecipientStatus::delivered: return "delivered";
    case store::RecipientStatus::deferred: return "deferred";
    case store::RecipientStatus::bounced: return "bounced";
    case store::RecipientStatus::failed: return "failed";
    default: return nullptr;  // queued (throttled), suppressed: not a delivery result
  }
}

}  // namespace

std::string recipient_domain(const std::string& address) {
  const auto at = address.rfind('@');
  std::string d = at == std::string::npos ? std::string() : address.substr(at + 1);
  std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return d;
}

void record_attempt(metrics::ServiceMetrics& m, const store::StoredEmail& before, const AttemptResult& after,
                    TimePoint now) {
  const TimePoint accepted = std::max(before.content.created_at, before.content.scheduled_at.value_or(TimePoint{}));
  for (const auto& r : after.state.recipients) {
    const store::RecipientState* old = find(before.state, r.address);
    const int old_attempts = old ? old->attempts : 0;
    const bool attempted = r.attempts > old_attempts;
    const bool changed = !old || old->status != r.status;
    const char* outcome = outcome_label(r.status);
    if (!outcome || !(attempted || changed)) continue;
    m.deliveries.with({outcome, recipient_domain(r.address)}).inc();
    if (attempted && old_attempts > 0) m.retries.inc();
    if (r.status == store::RecipientStatus::delivered)
      m.end_to_end.observe(std::max(0.0, std::chrono::duration<double>(now - accepted).count()));
  }
}

const char* smtp_result_label(const smtp::TransactionResult& result) {
  if (result.network_error) return "error";
  if (result.session_reply) return "rejected";
  return "ok";
}

SendFunction timed_send(SendFunction send, metrics::ServiceMetrics& m) {
  return [send = std::move(send), &m](const smtp::Endpoint& endpoint, const smtp::TransactionRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    smtp::TransactionResult result = send(endpoint, request);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m.smtp_duration.with({smtp_result_label(result)}).observe(seconds);
    return result;
  };
}

}  // namespace tern::worker
