// delivery.hpp - one delivery attempt of one email: route each recipient
// domain (relay, or MX via dnscheck), run one SMTP transaction per domain,
// classify every recipient (outcome.hpp), and compute the new state, the
// events to report and when to retry.
//
// Pure apart from the two seams it is given: a Resolver and a send function
// (production: smtp::send_transaction). Never throws; a broken stored email
// fails its recipients instead of looping forever.
#pragma once

#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "dnscheck/resolver.hpp"
#include "mailer/smtp/client.hpp"
#include "store/redis/email_store.hpp"
#include "store/util/config.hpp"
#include "worker/destination_gate.hpp"
#include "worker/sender_identity.hpp"

namespace tern::worker {

using SendFunction = std::function<smtp::TransactionResult(const smtp::Endpoint&, const smtp::TransactionRequest&)>;

struct DeliveryContext {
  dns::Resolver& resolver;
  const DeliveryConfig& config;
  SendFunction send;
  std::mt19937_64& rng;
  SenderIdentities* senders = nullptr;  // null: unsigned, From as envelope sender
  DestinationGate* gate = nullptr;       // null: no per-destination limit
};

struct AttemptResult {
  store::EmailState state;
  std::vector<store::EmailEvent> events;
  std::optional<TimePoint> retry_at;  // set when some recipient is still deferred or throttled
};

AttemptResult attempt_delivery(const store::StoredEmail& email, DeliveryContext& context, TimePoint now);

}  // namespace tern::worker
