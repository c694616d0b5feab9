#include "store/util/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include <nlohmann/json.hpp>

#include "store/util/time_format.hpp"

namespace tern::log {
namespace {

std::atomic<int> g_level{int(Level::info)};  // process-wide switch; the only global in util
std::mutex g_write_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

}  // namespace

void set_level(Level level) { g_level.store(int(level)); }

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug") out = Level::debug;
  else if (text == "info") out = Level::info;
  else if (text == "warn") out = Level::warn;
  else if (text == "error") out = Level::error;
  else return false;
  return true;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (int(level) < g_level.load(std::memory_order_relaxed)) return;
  nlohmann::json line;
  line["ts"] = format_iso8601(std::chrono::system_clock::now());
  line["level"] = level_name(level);
  line["msg"] = std::string(message);
  for (const auto& [key, value] : fields) line[std::string(key)] = value;
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  std::lock_guard lock(g_write_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace tern::log
