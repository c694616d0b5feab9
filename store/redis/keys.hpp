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

}  // namespace tern::store::keys
