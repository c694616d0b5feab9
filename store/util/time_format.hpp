// time_format.hpp - the timestamp spellings Resend uses.
//   REST objects:     "2026-04-03 22:13:42.674981+00"  (Postgres text)
//   webhook payloads: "2026-11-22T23:41:12.126Z"       (ISO 8601)
//   mail headers:     "Mon, 23 Nov 2026 14:28:15 +0000" (RFC 5322 §3.3)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tern {

using TimePoint = std::chrono::system_clock::time_point;

std::string format_resend_timestamp(TimePoint t);
std::string format_iso8601(TimePoint t);
std::string format_rfc5322_date(TimePoint t);

// parse_iso8601 - "2026-08-05T11:52:01.858Z", "...+02:00", "2026-08-05 11:52:01".
std::optional<TimePoint> parse_iso8601(std::string_view text);

int64_t to_unix_ms(TimePoint t);
TimePoint from_unix_ms(int64_t ms);

}  // namespace tern
