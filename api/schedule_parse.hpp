// schedule_parse.hpp - `scheduled_at` as Resend accepts it: ISO 8601 or a
// little natural language (resend-api.md §5.1). Pure; "now" is injected.
//
// Accepted (case-insensitive, extra spaces ignored, all times UTC):
//   ISO 8601                  "2026-08-05T11:52:01.858Z", "2026-08-05 11:52:01+02:00"
//   "now"
//   "in <n> <unit>"           n a whole number, "a" or "an"; unit s|sec|second(s),
//                             m|min|minute(s), h|hr|hour(s), d|day(s), w|week(s):
//                             "in 1 min", "in 2 hours", "in an hour", "in 3 days"
//   "<day> at <time>"         day: today | tomorrow | monday..sunday (the next one;
//                             today's weekday counts when the time is still ahead);
//                             time: 9am, 9 am, 9:30pm, 15:30, noon, midnight;
//                             an optional trailing "UTC", "GMT" or "Z"
// Other time zones ("Friday at 3pm ET") are refused with a message saying
// so, never guessed. parse_schedule says what the text means;
// resolve_schedule turns that into a time for a given now.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "store/util/result.hpp"
#include "store/util/time_format.hpp"

namespace tern::api {

struct ScheduleSpec {
  enum class Kind { absolute, delay, day_time };
  enum class Day { today, tomorrow, weekday };
  Kind kind = Kind::absolute;
  TimePoint at{};                  // absolute
  std::chrono::seconds delay{};    // delay ("now" is a delay of 0)
  Day day = Day::today;            // day_time
  int weekday = 0;                 // day_time with Day::weekday: 0 = Sunday .. 6 = Saturday
  int minute_of_day = 0;           // day_time: 0 .. 1439 (UTC)
};

// parse_schedule - Errc::invalid_argument with a message for the client.
Result<ScheduleSpec> parse_schedule(std::string_view text);

// resolve_schedule - the moment the spec names, relative to now.
TimePoint resolve_schedule(const ScheduleSpec& spec, TimePoint now);

// parse_schedule_at - both in one step.
Result<TimePoint> parse_schedule_at(std::string_view text, TimePoint now);

}  // namespace tern::api
