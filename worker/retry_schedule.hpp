// retry_schedule.hpp - when to try a deferred email again (pure).
//
// attempt n (1-based, the attempt that just failed) waits steps[n-1], the
// last step repeating, with +-10% jitter from the injected rng so that a
// burst of deferrals does not come back as a burst. Once the email is older
// than max_queue_age, or the next try would fall after it, nullopt: give up.
#pragma once

#include <optional>
#include <random>

#include "store/util/config.hpp"
#include "store/util/time_format.hpp"

namespace tern::worker {

std::optional<TimePoint> next_attempt(const RetrySchedule& schedule, int attempts_made, TimePoint accepted_at,
                                      TimePoint now, std::mt19937_64& rng);

}  // namespace tern::worker
