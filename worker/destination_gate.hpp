// destination_gate.hpp - the per-destination concurrency seam used by a
// delivery attempt: enter before talking to a destination, leave after,
// saying whether the destination failed at the host level.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "store/redis/destination_slots.hpp"

namespace tern::worker {

class DestinationGate {
 public:
  virtual ~DestinationGate() = default;
  // enter - a token, or nullopt when the destination is at its window.
  virtual std::optional<std::string> enter(const std::string& destination) = 0;
  virtual void leave(const std::string& destination, const std::string& token, bool host_failure) = 0;
};

// RedisDestinationGate - shared by every worker through Redis. When Redis
// cannot answer, it lets the delivery through (the attempt's own commit
// will fail and be retried anyway) rather than stalling all mail.
class RedisDestinationGate final : public DestinationGate {
 public:
  explicit RedisDestinationGate(store::DestinationSlots& slots) : slots_(slots) {}
  std::optional<std::string> enter(const std::string& destination) override;
  void leave(const std::string& destination, const std::string& token, bool host_failure) override;

  // renew_held - extend every lease this process holds (the consumer's
  // housekeeping calls it well within one lease period).
  void renew_held();

 private:
  store::DestinationSlots& slots_;
  std::mutex held_mutex_;
  std::map<std::string, std::string> held_;  // token -> destination
};

}  // namespace tern::worker
