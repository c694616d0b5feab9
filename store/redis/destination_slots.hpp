// destination_slots.hpp - how many deliveries may talk to one destination
// (an MX host, or the relay) at once, decided in Redis so every worker
// process shares the limit.
//
// Each delivery holds a lease (a ZSET member scored by its expiry, so a
// killed worker's lease lapses by itself); a live worker renews the leases
// it holds well before they lapse, so the lease can be short. The window starts at the
// configured limit, halves after a connection failure or a 421 (never
// below 1) and grows back by one per success: a broken or slow
// destination ends up with one delivery at a time, and the other workers
// stay free for healthy ones (Postfix qmgr_queue_throttle in spirit).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "store/redis/redis_connection.hpp"

namespace tern::store {

class DestinationSlots {
 public:
  DestinationSlots(RedisPool& pool, int limit, std::chrono::milliseconds lease);

  // acquire - a lease token, or nullopt when the destination is at its window.
  Result<std::optional<std::string>> acquire(std::string_view destination);

  enum class Outcome { success, host_failure };
  // release - give the lease back and adapt the window.
  Result<void> release(std::string_view destination, const std::string& token, Outcome outcome);

  // renew - push a held lease's expiry one lease period ahead; false when
  // it had already lapsed (it is not taken back).
  Result<bool> renew(std::string_view destination, const std::string& token);

  // window - the destination's current window (for tests and metrics).
  Result<int> window(std::string_view destination);

 private:
  RedisPool& pool_;
  int limit_;
  std::chrono::milliseconds lease_;
};

}  // namespace tern::store
