// auth_throttle.hpp - failed AUTH attempts counted per client IP address.
//
// After max_failures failures within `window` (counted from the first of
// them), blocked() is true for that address until the window has passed;
// a success does not reset the count (a guesser with one valid key learns
// nothing). Pure apart from its mutex: time is passed in. Memory is bounded:
// past kMaxTracked addresses, expired entries are pruned, and if none has
// expired the oldest window is dropped.
// The count is per process: N submission processes allow N times as many
// guesses (API keys are 32 random bytes, so this only slows scanning).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "store/util/config.hpp"
#include "store/util/time_format.hpp"

namespace tern::submission {

class AuthThrottle {
 public:
  static constexpr std::size_t kMaxTracked = 10000;

  AuthThrottle(int max_failures, Millis window) : max_failures_(max_failures), window_(window) {}

  bool blocked(const std::string& address, TimePoint now);
  void record_failure(const std::string& address, TimePoint now);

 private:
  struct Entry {
    int failures = 0;
    TimePoint since{};
  };
  void prune(TimePoint now);

  const int max_failures_;
  const Millis window_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace tern::submission
