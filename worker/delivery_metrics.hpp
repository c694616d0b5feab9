// delivery_metrics.hpp - what one delivery attempt adds to the process's
// metrics. Kept out of the delivery code so that counting is one call after
// the result is committed (consumer.cpp) and one wrapper around the send
// function (the composition root).
//
//   record_attempt: per recipient whose state this attempt changed,
//     tern_deliveries_total{outcome,domain} (delivered, deferred, bounced,
//     failed); tern_delivery_retries_total for attempts after the first;
//     tern_email_delivery_latency_seconds from acceptance (or the scheduled
//     time) to a delivered reply. Throttled recipients (nothing attempted)
//     and suppressed ones count nothing.
//   timed_send: tern_smtp_transaction_duration_seconds{result} around every
//     SMTP transaction: ok (the final "." or every RCPT answered), rejected
//     (a reply ended the session), error (network, TLS, timeout).
#pragma once

#include "store/redis/email_store.hpp"
#include "store/util/service_metrics.hpp"
#include "worker/delivery.hpp"

namespace tern::worker {

void record_attempt(metrics::ServiceMetrics& metrics, const store::StoredEmail& before, const AttemptResult& after,
                    TimePoint now);

// recipient_domain - the lower-cased domain of an address (metrics label, log field).
std::string recipient_domain(const std::string& address);

// smtp_result_label - "ok", "rejected" or "error" for a transaction.
const char* smtp_result_label(const smtp::TransactionResult& result);

// timed_send - `send`, observed into metrics.smtp_duration.
SendFunction timed_send(SendFunction send, metrics::ServiceMetrics& metrics);

}  // namespace tern::worker
