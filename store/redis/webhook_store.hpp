// webhook_store.hpp - webhooks (per team) and their delivery messages.
//
// Webhooks: {id, endpoint, events (nullopt = every type), status, signing
// secret "whsec_<base64 of 24 random bytes>", failure tracking}. Every
// lookup through the API is scoped to the team; another team's id answers
// nullopt (the API turns that into 404).
//
// Messages: one per (event, webhook), id "msg_..." stable across retries,
// payload bytes fixed at creation so every retry signs the same body.
// Delivery is ordered per (webhook, subject): a message joins its chain (a
// sorted set ordered by the event stream id) and only the head of a chain is
// ever due; finishing the head (success or abandoned) makes the next one due.
// Due times live in one sorted set; claim_due leases a message by pushing
// its due time forward, so a sender killed mid-request leaves the message to
// be sent again after the lease (at-least-once; receivers dedupe on the id).
//
// Every state change is one Lua script, and every due time is taken from
// Redis TIME, so several worker processes agree on "due". Finished messages
// and their attempts expire after `retention`.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/redis/redis_connection.hpp"
#include "store/util/time_format.hpp"

namespace tern::store {

enum class WebhookStatus { enabled, disabled };
const char* to_string(WebhookStatus status);
std::optional<WebhookStatus> parse_webhook_status(std::string_view text);

struct Webhook {
  std::string id;
  std::string team;
  std::string endpoint;
  std::optional<std::vector<std::string>> events;  // nullopt: every event type
  WebhookStatus status = WebhookStatus::enabled;
  std::string signing_secret;                      // "whsec_..."
  TimePoint created_at{};
  std::optional<TimePoint> first_failure_at;       // start of the current run of failures
  int consecutive_failures = 0;

  bool subscribes(std::string_view type) const;
};

// WebhookPatch - PATCH /webhooks/{id}: only the fields present change.
// Setting status enabled also clears the failure tracking.
struct WebhookPatch {
  std::optional<std::string> endpoint;
  std::optional<std::optional<std::vector<std::string>>> events;
  std::optional<WebhookStatus> status;
};

// Resend's webhook event statuses: pending (not tried yet), attempting (failed
// at least once, another try scheduled), success, failed (abandoned).
enum class DeliveryStatus { pending, attempting, success, failed };
const char* to_string(DeliveryStatus status);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view text);

struct DeliveryAttempt {
  std::optional<int> http_status_code;  // nullopt: no HTTP answer (refused, timeout, TLS)
  std::string response;                 // the body (truncated) or why there was none
  TimePoint sent_at{};
};

struct WebhookMessage {
  std::string id;          // "msg_..."
  std::string webhook_id;
  std::string team;
  std::string type;        // "email.delivered", ...
  std::string subject_id;  // email or domain id: the ordering scope
  std::string order_key;   // position within the subject (sorts as text)
  std::string payload;     // the exact body sent
  DeliveryStatus status = DeliveryStatus::pending;
  TimePoint created_at{};
  std::optional<TimePoint> next_attempt_at;
  std::vector<DeliveryAttempt> attempts;  // oldest first
};

// FinishKind - what one attempt (or a decision not to send) leads to.
struct Finish {
  enum class Kind { success, retry, give_up } kind = Kind::give_up;
  std::chrono::milliseconds retry_after{0};  // for retry
  std::optional<DeliveryAttempt> attempt;      // nullopt when nothing was sent
};

class WebhookStore {
 public:
  explicit WebhookStore(RedisPool& pool, std::chrono::milliseconds retention = std::chrono::hours(24 * 30))
      : pool_(pool), retention_(retention) {}

  // --- webhooks -----------------------------------------------------------
  // create - a new webhook with a fresh id and signing secret.
  Result<Webhook> create(std::string team, std::string endpoint, std::optional<std::vector<std::string>> events,
                         TimePoint now);
  Result<std::optional<Webhook>> get(std::string_view team, std::string_view id);
  Result<std::optional<Webhook>> get_any(std::string_view id);
  Result<std::vector<Webhook>> list(std::string_view team);  // newest first
  // update - false when no such webhook in this team.
  Result<bool> update(std::string_view team, std::string_view id, const WebhookPatch& patch);
  // remove - false when no such webhook in this team. Its queued messages
  // are abandoned when their turn comes.
  Result<bool> remove(std::string_view team, std::string_view id);
  // subscribers - the team's enabled webhooks that want this event type.
  Result<std::vector<Webhook>> subscribers(std::string_view team, std::string_view type);

  // record_endpoint_result - failure tracking. A success clears it; a
  // failure starts or extends the run, and a run older than disable_after
  // disables the webhook. Returns true when this call disabled it.
  Result<bool> record_endpoint_result(std::string_view webhook_id, bool success,
                                      std::chrono::milliseconds disable_after);

  // --- messages -----------------------------------------------------------
  // enqueue - store the message and join its chain; due now if it is the
  // head. Idempotent: false (and no change) when the id exists already.
  Result<bool> enqueue(const WebhookMessage& message);
  Result<std::optional<WebhookMessage>> message(std::string_view id);
  // messages - ids of a webhook's messages, newest first.
  Result<std::vector<std::string>> messages(std::string_view webhook_id, int max = 100);
  // claim_due - up to max due chain heads, each leased for `lease`.
  Result<std::vector<std::string>> claim_due(int max, std::chrono::milliseconds lease);
  // finish - record the attempt and apply its outcome: success / give_up end
  // the message and make the chain's next message due; retry schedules it
  // again after retry_after. A message already finished is left alone
  // (returns false).
  Result<bool> finish(const WebhookMessage& message, const Finish& outcome);

 private:
  RedisPool& pool_;
  std::chrono::milliseconds retention_;
};

// is_webhook_event_type - one of Resend's event types a webhook may
// subscribe to (resend-api.md §8.2: email.*, domain.*, suppression.*).
bool is_webhook_event_type(std::string_view type);
const std::vector<std::string_view>& webhook_event_types();

// new_signing_secret - "whsec_" + base64 of 24 CSPRNG bytes.
std::string new_signing_secret();

// derive_message_id - "msg_" + 27 base62 characters from SHA-256 of the
// inputs: the same event fanned out twice to one webhook gets the same id.
std::string derive_message_id(std::string_view stream_id, std::string_view webhook_id);

// stream_order_key - a stream entry id "1700000000000-3" as text that sorts
// in stream order ("0001700000000000-0000000003").
std::string stream_order_key(std::string_view stream_id);

}  // namespace tern::store
