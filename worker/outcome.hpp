// outcome.hpp - the one place that decides what an SMTP or DNS result means
// for each recipient: delivered, deferred (retry later) or bounced.
//
// Rules (RFC 5321, RFC 7505, Postfix smtp_trouble.c):
//   - route: null MX -> bounced 5.1.10; NXDOMAIN -> bounced 5.1.2;
//     no addresses, SERVFAIL or timeout -> deferred 4.4.3.
//   - transaction: a network error or a session-level 4xx/421 is a host
//     failure: try the next host, then defer everything unfinished.
//     A 5xx to the greeting or EHLO also moves on to the next host
//     (smtp_skip_5xx_greeting); a 5xx to MAIL FROM or DATA bounces every
//     recipient of the transaction.
//   - RCPT: 2xx -> waits for the final reply; 4xx -> deferred; 552 is read
//     as 452 (RFC 5321 §4.5.3.1.10); other 5xx -> bounced.
//   - after the final dot: 2xx delivered, 4xx deferred, 5xx bounced, for
//     every recipient whose RCPT was accepted. No reply -> deferred (the
//     message may have arrived: at-least-once).
//   - basic and enhanced code disagree (550 4.2.2): the basic code decides.
#pragma once

#include <string>
#include <vector>

#include "dnscheck/mx_policy.hpp"
#include "mailer/smtp/client.hpp"
#include "store/redis/email_record.hpp"

namespace tern::worker {

// throttled is not an SMTP outcome: the destination was at its concurrency
// window, nothing was attempted, and the recipient is retried in seconds
// without counting an attempt.
enum class Verdict { delivered, deferred, bounced, throttled };
const char* to_string(Verdict v);

struct RecipientOutcome {
  std::string recipient;
  Verdict verdict = Verdict::deferred;
  store::RemoteReply reply;
};

// classify_route - the outcome of a route that cannot be used (status != ok),
// the same for every recipient of the domain.
RecipientOutcome classify_route(const dns::Route& route, const std::string& recipient);

// host_failed - true when the transaction failed at the host level and the
// next MX host should be tried (nothing was decided per recipient).
bool host_failed(const smtp::TransactionResult& result);

// classify_transaction - one outcome per recipient of the envelope.
std::vector<RecipientOutcome> classify_transaction(const smtp::TransactionResult& result,
                                                   const std::vector<std::string>& recipients,
                                                   const std::string& host);

// to_remote_reply - a reply as stored and reported.
store::RemoteReply to_remote_reply(const smtp::Reply& reply, const std::string& host);

}  // namespace tern::worker
