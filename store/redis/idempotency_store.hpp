// idempotency_store.hpp - Idempotency-Key records (resend-api.md §4).
//
// One Redis string per (team, method, path, key), see keys::idempotency.
// reserve() is SET NX: the first request with a key gets a reservation
// (held for a short lock TTL so a crashed process cannot block the key for
// a day); any later request sees the reservation or the finished record.
// complete() replaces the reservation with the response (kept 24 h);
// release() drops the reservation so the client may retry. Both only act
// when the reservation is still the caller's (its random token), in Lua.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "store/redis/redis_connection.hpp"

namespace tern::store {

enum class IdempotencyState {
  reserved,     // this caller holds the key now: run the request
  in_progress,  // another request holds it
  completed,    // a finished response is stored
};

struct IdempotencyLookup {
  IdempotencyState state = IdempotencyState::reserved;
  std::string body_hash;  // the hash stored by whoever holds or completed the key
  int status = 0;         // completed: the stored response
  std::string response;
  std::string token;      // reserved: pass to complete()/release()
};

class IdempotencyStore {
 public:
  static constexpr std::chrono::seconds kLockTtl{120};
  static constexpr std::chrono::hours kRecordTtl{24};

  explicit IdempotencyStore(RedisPool& pool) : pool_(pool) {}

  // reserve - the key is `redis_key` (keys::idempotency), body_hash the
  // caller's canonical body hash.
  Result<IdempotencyLookup> reserve(const std::string& redis_key, std::string_view body_hash);

  // complete - store the response under the reservation for kRecordTtl.
  // False when the reservation was lost (expired and taken by another).
  Result<bool> complete(const std::string& redis_key, std::string_view token, std::string_view body_hash,
                        int status, std::string_view response);

  // release - forget the reservation (the request failed).
  Result<void> release(const std::string& redis_key, std::string_view token);

 private:
  RedisPool& pool_;
};

}  // namespace tern::store
