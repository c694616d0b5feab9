#include "worker/destination_gate.hpp"

#include "store/util/log.hpp"

namespace tern::worker {

std::optional<std::string> RedisDestinationGate::enter(const std::string& destination) {
  auto token = slots_.acquire(destination);
  if (!token) {
    log::warn("destination slots unavailable; delivering without a lease",
              {{"destination", destination}, {"error", token.error().message}});
    return std::string();
  }
  if (*token) {
    std::lock_guard lock(held_mutex_);
    held_.emplace(**token, destination);
  }
  return *token;
}

void RedisDestinationGate::leave(const std::string& destination, const std::string& token, bool host_failure) {
  if (token.empty()) return;
  {
    std::lock_guard lock(held_mutex_);
    held_.erase(token);
  }
  auto r = slots_.release(destination, token,
                          host_failure ? store::DestinationSlots::Outcome::host_failure
                                       : store::DestinationSlots::Outcome::success);
  if (!r) log::warn("cannot release destination slot", {{"destination", destination}, {"error", r.error().message}});
}

void RedisDestinationGate::renew_held() {
  std::map<std::string, std::string> held;
  {
    std::lock_guard lock(held_mutex_);
    held = held_;
  }
  for (const auto& [token, destination] : held) {
    auto r = slots_.renew(destination, token);
    if (!r) log::warn("cannot renew destination slot", {{"destination", destination}, {"error", r.error().message}});
  }
}

}  // namespace tern::worker
