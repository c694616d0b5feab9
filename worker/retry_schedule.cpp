#include "worker/retry_schedule.hpp"

#include <algorithm>

namespace tern::worker {

std::optional<TimePoint> next_attempt(const RetrySchedule& schedule, int attempts_made, TimePoint accepted_at,
                                      TimePoint now, std::mt19937_64& rng) {
  if (schedule.steps.empty()) return std::nullopt;
  const TimePoint expires = accepted_at + schedule.max_queue_age;
  if (now >= expires) return std::nullopt;
  std::size_t index = std::clamp<std::size_t>(std::size_t(std::max(attempts_made, 1)) - 1, 0, schedule.steps.size() - 1);
  const auto step = schedule.steps[index];
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  auto delay = std::chrono::milliseconds(static_cast<long long>(double(step.count()) * jitter(rng)));
  TimePoint next = now + delay;
  // One last try exactly at expiry rather than giving up early.
  return std::min(next, expires);
}

}  // namespace tern::worker
