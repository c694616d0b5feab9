// keys.hpp - the one file that names every Redis key Tern uses.
//
// Everything that belongs to one email lives under the hash tag {<id>} so a
// later move to Redis Cluster keeps an email's keys on one shard. Queue and
// index keys are global.
#pragma once

#include <string>
#include <string_view>

namespace tern::store::keys {

inline constexpr std::string_view kPrefix = "tern:";

// Per email (hash tag = the email id).
inline std::string email(std::string_view id) { return "tern:email:{" + std::string(id) + "}"; }
inline std::string email_events(std::string_view id) { return "tern:email:{" + std::string(id) + "}:events"; }

// Per team indexes.
inline std::string team_emails(std::string_view team) { return "tern:team:" + std::string(team) + ":emails"; }
inline std::string team_api_keys(std::string_view team) { return "tern:team:" + std::string(team) + ":api_keys"; }

// API keys: looked up by the SHA-256 (hex) of the token; the id points back.
inline std::string api_key_by_hash(std::string_view sha256_hex) { return "tern:api_key:" + std::string(sha256_hex); }
inline std::string api_key_by_id(std::string_view id) { return "tern:api_key_id:" + std::string(id); }

// The delivery queue: a stream with one consumer group, and a delayed set.
inline constexpr std::string_view kReadyStream = "tern:queue:ready";
inline constexpr std::string_view kWorkerGroup = "workers";
inline constexpr std::string_view kDelayedSet = "tern:queue:delayed";

// Every email and domain event, in order, for the webhook dispatcher: a
// stream with its own consumer group; entries are deleted once fanned out.
// Fields: type, team, subject_id (email or domain id), event (JSON).
inline constexpr std::string_view kEventStream = "tern:events";

// Domains: one hash per domain (hash tag = the domain id) holding its team,
// name and JSON document; a per-team ZSET of ids by creation time; a global
// name -> id string that makes a name unique across teams; and one ZSET of
// ids scored by their next background verification time (ms).
inline std::string domain(std::string_view id) { return "tern:domain:{" + std::string(id) + "}"; }
inline std::string team_domains(std::string_view team) { return "tern:team:" + std::string(team) + ":domains"; }
inline std::string domain_by_name(std::string_view name) { return "tern:domain_name:" + std::string(name); }
inline constexpr std::string_view kDomainRecheckSet = "tern:domains:recheck";

// Webhooks (webhook_store.hpp). A webhook's hash and the team's index
// (sorted by creation time); each delivery message's hash and its attempt
// list; per (webhook, subject) chain that serialises one email's events; one
// due set for first sends and retries (score = due time in Unix ms).
inline std::string webhook(std::string_view id) { return "tern:webhook:" + std::string(id); }
inline std::string team_webhooks(std::string_view team) { return "tern:team:" + std::string(team) + ":webhooks"; }
inline std::string webhook_messages(std::string_view webhook_id) {
  return "tern:webhook:" + std::string(webhook_id) + ":messages";
}
inline std::string webhook_chain(std::string_view webhook_id, std::string_view subject_id) {
  return "tern:webhook:" + std::string(webhook_id) + ":chain:" + std::string(subject_id);
}
inline std::string webhook_message(std::string_view msg_id) { return "tern:webhook_msg:" + std::string(msg_id); }
inline std::string webhook_attempts(std::string_view msg_id) {
  return "tern:webhook_msg:" + std::string(msg_id) + ":attempts";
}
inline constexpr std::string_view kWebhookDueSet = "tern:webhooks:due";
inline constexpr std::string_view kWebhookGroup = "webhooks";  // consumer group on kEventStream

// Suppressions (suppression_store.hpp), per team: a hash lower-cased
// address -> entry JSON (the one lookup the worker makes per recipient), a
// hash id -> lower-cased address, and ZSETs of ids by creation time (ms):
// all entries, and one per origin (bounce, complaint, manual).
inline std::string team_suppressions_by_address(std::string_view team) {
  return "tern:team:" + std::string(team) + ":suppressions:by_address";
}
inline std::string team_suppressions_by_id(std::string_view team) {
  return "tern:team:" + std::string(team) + ":suppressions:by_id";
}
inline std::string team_suppressions(std::string_view team) {
  return "tern:team:" + std::string(team) + ":suppressions";
}
inline std::string team_suppressions_of_origin(std::string_view team, std::string_view origin) {
  return "tern:team:" + std::string(team) + ":suppressions:origin:" + std::string(origin);
}

// Idempotency (idempotency_store.hpp): one string per team + method + path
// + key; the key itself is hashed (SHA-256 hex) so any bytes are safe here.
inline std::string idempotency(std::string_view team, std::string_view method, std::string_view path,
                               std::string_view key_sha256_hex) {
  return "tern:idem:" + std::string(team) + ":" + std::string(method) + ":" + std::string(path) + ":" +
         std::string(key_sha256_hex);
}

// Rate limits (rate_limiter.hpp): the team's token bucket (a hash of
// tokens + last refill time) and an optional per-team override, a string
// "<rate>/<s|m|h>[,burst]" such as "50/s,100" set by an operator with
// `redis-cli SET tern:team:<team>:rate_limit 50/s,100` ("off" disables).
inline std::string rate_bucket(std::string_view team) { return "tern:team:" + std::string(team) + ":rate_bucket"; }
inline std::string team_rate_limit(std::string_view team) { return "tern:team:" + std::string(team) + ":rate_limit"; }

// Per-destination concurrency (destination_slots.hpp): leases of deliveries
// talking to one MX host or relay, and the current (reduced) window.
inline std::string destination_leases(std::string_view destination) {
  return "tern:dest:" + std::string(destination) + ":leases";
}
inline std::string destination_window(std::string_view destination) {
  return "tern:dest:" + std::string(destination) + ":window";
}

}  // namespace tern::store::keys
