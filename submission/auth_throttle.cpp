// auth_throttle.cpp - fixed-window failure counting per address.
#include "submission/auth_throttle.hpp"

#include <algorithm>

namespace tern::submission {

bool AuthThrottle::blocked(const std::string& address, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end()) return false;
  if (now - it->second.since >= window_) {
    entries_.erase(it);
    return false;
  }
  return it->second.failures >= max_failures_;
}

void AuthThrottle::record_failure(const std::string& address, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end() || now - it->second.since >= window_) {
    if (it == entries_.end() && entries_.size() >= kMaxTracked) prune(now);
    entries_[address] = Entry{1, now};
    return;
  }
  ++it->second.failures;
}

void AuthThrottle::prune(TimePoint now) {
  std::erase_if(entries_, [&](const auto& e) { return now - e.second.since >= window_; });
  if (entries_.size() < kMaxTracked) return;
  auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                 [](const auto& a, const auto& b) { return a.second.since < b.second.since; });
  entries_.erase(oldest);
}

}  // namespace tern::submission
