// schedule_parse.cpp - a tiny word-by-word reader for the forms listed in
// schedule_parse.hpp. The text is lower-cased and split on spaces; each
// form is recognised by its first word.
#include "api/schedule_parse.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace tern::api {
namespace {

using std::chrono::seconds;

constexpr std::size_t kMaxText = 100;
constexpr long long kMaxAmount = 100000;

const char* const kUsage =
    "Use ISO 8601 (`2026-08-05T11:52:01.858Z`) or natural language such as `in 1 min`, `in 2 hours`, "
    "`tomorrow at 9am` or `friday at 15:30` (UTC).";

tl::unexpected<Error> refuse(const std::string& why) { return fail(Errc::invalid_argument, why + " " + kUsage); }

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::optional<long long> number(std::string_view text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

std::optional<seconds> unit_seconds(std::string_view unit) {
  struct Unit {
    std::string_view names[4];
    long long seconds;
  };
  static constexpr std::array<Unit, 5> kUnits = {{
      {{"s", "sec", "second", "secs"}, 1},
      {{"m", "min", "minute", "mins"}, 60},
      {{"h", "hr", "hour", "hrs"}, 3600},
      {{"d", "day", "", ""}, 86400},
      {{"w", "week", "wk", "wks"}, 604800},
  }};
  if (unit.size() > 2 && unit.back() == 's' && unit != "secs" && unit != "mins" && unit != "hrs" && unit != "wks")
    unit.remove_suffix(1);  // plural: "minutes" -> "minute" (never "ms" -> "m")
  for (const auto& u : kUnits)
    for (auto name : u.names)
      if (!name.empty() && name == unit) return seconds(u.seconds);
  return std::nullopt;
}

// parse_delay - "in <n> <unit>" or "in <n><unit>".
Result<ScheduleSpec> parse_delay(const std::vector<std::string>& w) {
  std::string amount = w.size() > 1 ? w[1] : "";
  std::string unit = w.size() > 2 ? w[2] : "";
  if (w.size() == 2) {  // "in 5min"
    std::size_t digits = 0;
    while (digits < amount.size() && std::isdigit(static_cast<unsigned char>(amount[digits]))) ++digits;
    unit = amount.substr(digits);
    amount = amount.substr(0, digits);
  } else if (w.size() != 3) {
    return refuse("Invalid `scheduled_at` field.");
  }
  std::optional<long long> n = (amount == "a" || amount == "an") ? std::optional<long long>(1) : number(amount);
  auto per = unit_seconds(unit);
  if (!n || !per) return refuse("Invalid `scheduled_at` field: cannot read `" + amount + " " + unit + "`.");
  if (*n > kMaxAmount) return refuse("Invalid `scheduled_at` field: the delay is too long.");
  ScheduleSpec spec;
  spec.kind = ScheduleSpec::Kind::delay;
  spec.delay = *per * *n;
  return spec;
}

// parse_clock - "9am", "9:30pm", "15:30", "noon", "midnight" (words already
// joined: "9 am" arrives as "9am"). Minutes since midnight.
std::optional<int> parse_clock(std::string_view text) {
  if (text == "noon") return 12 * 60;
  if (text == "midnight") return 0;
  std::optional<char> half;
  if (text.size() > 2 && (text.substr(text.size() - 2) == "am" || text.substr(text.size() - 2) == "pm")) {
    half = text[text.size() - 2];
    text.remove_suffix(2);
  }
  std::string_view hour_text = text, minute_text;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    hour_text = text.substr(0, colon);
    minute_text = text.substr(colon + 1);
    if (minute_text.size() != 2) return std::nullopt;
  } else if (!half) {
    return std::nullopt;  // a bare "15" is too ambiguous
  }
  auto hour = number(hour_text);
  auto minute = minute_text.empty() ? std::optional<long long>(0) : number(minute_text);
  if (!hour || !minute || hour_text.empty() || hour_text.size() > 2 || *minute > 59) return std::nullopt;
  if (half) {
    if (*hour < 1 || *hour > 12) return std::nullopt;
    *hour %= 12;
    if (*half == 'p') *hour += 12;
  } else if (*hour > 23) {
    return std::nullopt;
  }
  return static_cast<int>(*hour * 60 + *minute);
}

std::optional<int> weekday_of(std::string_view word) {
  static constexpr std::array<std::string_view, 7> kDays = {"sunday",   "monday", "tuesday", "wednesday",
                                                            "thursday", "friday", "saturday"};
  for (std::size_t i = 0; i < kDays.size(); ++i)
    if (word == kDays[i] || (word.size() == 3 && kDays[i].substr(0, 3) == word)) return static_cast<int>(i);
  return std::nullopt;
}

// parse_day_time - "<day> at <time> [utc|gmt|z]".
Result<ScheduleSpec> parse_day_time(std::vector<std::string> w) {
  ScheduleSpec spec;
  spec.kind = ScheduleSpec::Kind::day_time;
  if (w[0] == "today") spec.day = ScheduleSpec::Day::today;
  else if (w[0] == "tomorrow") spec.day = ScheduleSpec::Day::tomorrow;
  else {
    spec.day = ScheduleSpec::Day::weekday;
    spec.weekday = *weekday_of(w[0]);
  }
  if (w.size() < 3 || w[1] != "at") return refuse("Invalid `scheduled_at` field: expected `" + w[0] + " at <time>`.");
  if (w.back() == "utc" || w.back() == "gmt" || w.back() == "z") w.pop_back();
  std::string time;
  for (std::size_t i = 2; i < w.size(); ++i) time += w[i];
  auto minutes = parse_clock(time);
  if (!minutes) {
    if (w.size() > 3 && parse_clock(w[2]))
      return refuse("Invalid `scheduled_at` field: time zones other than UTC are not supported (`" + w.back() +
                    "`).");
    return refuse("Invalid `scheduled_at` field: cannot read the time `" + time + "`.");
  }
  spec.minute_of_day = *minutes;
  return spec;
}

}  // namespace

Result<ScheduleSpec> parse_schedule(std::string_view text) {
  if (text.size() > kMaxText) return refuse("Invalid `scheduled_at` field: too long.");
  if (auto at = parse_iso8601(text)) {
    ScheduleSpec spec;
    spec.at = *at;
    return spec;
  }
  const auto w = words_of(text);
  if (w.empty()) return refuse("Invalid `scheduled_at` field: it is empty.");
  if (w.size() == 1 && w[0] == "now") {
    ScheduleSpec spec;
    spec.kind = ScheduleSpec::Kind::delay;
    return spec;
  }
  if (w[0] == "in") return parse_delay(w);
  if (w[0] == "today" || w[0] == "tomorrow" || weekday_of(w[0])) return parse_day_time(w);
  return refuse("Invalid `scheduled_at` field.");
}

TimePoint resolve_schedule(const ScheduleSpec& spec, TimePoint now) {
  using namespace std::chrono;
  switch (spec.kind) {
    case ScheduleSpec::Kind::absolute: return spec.at;
    case ScheduleSpec::Kind::delay: return now + spec.delay;
    case ScheduleSpec::Kind::day_time: break;
  }
  const sys_days today = floor<days>(now);
  const auto at_time = [&](sys_days day) { return TimePoint(day + minutes(spec.minute_of_day)); };
  if (spec.day == ScheduleSpec::Day::today) return at_time(today);
  if (spec.day == ScheduleSpec::Day::tomorrow) return at_time(today + days(1));
  const unsigned current = weekday(today).c_encoding();
  unsigned ahead = (static_cast<unsigned>(spec.weekday) + 7 - current) % 7;
  if (ahead == 0 && at_time(today) <= now) ahead = 7;
  return at_time(today + days(ahead));
}

Result<TimePoint> parse_schedule_at(std::string_view text, TimePoint now) {
  auto spec = parse_schedule(text);
  if (!spec) return tl::unexpected(spec.error());
  return resolve_schedule(*spec, now);
}

}  // namespace tern::api
