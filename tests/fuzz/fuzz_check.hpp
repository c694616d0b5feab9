// fuzz_check.hpp - the few helpers every libFuzzer target here shares.
//
// FUZZ_CHECK(cond, what) aborts with a message when an invariant of the code
// under test breaks; libFuzzer then saves the input as a crash. Fields
// splits one input into several strings so a target can fill a struct.
// Header-only and free of Asio: the targets link pure parsers only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(cond, what)                                                           \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, \
                   #cond, what);                                                         \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace tern::fuzz {

inline std::string_view as_view(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Fields - the input cut at every separator byte; missing fields read as "".
class Fields {
 public:
  Fields(std::string_view input, char separator) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= input.size(); ++i) {
      if (i == input.size() || input[i] == separator) {
        parts_.push_back(input.substr(start, i - start));
        start = i + 1;
      }
    }
  }
  std::string_view operator[](std::size_t i) const { return i < parts_.size() ? parts_[i] : std::string_view(); }
  bool has(std::size_t i) const { return i < parts_.size(); }
  std::size_t size() const { return parts_.size(); }

 private:
  std::vector<std::string_view> parts_;
};

// lines_crlf_only - every CR is followed by LF and every LF follows a CR.
inline bool lines_crlf_only(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) return false;
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
  }
  return true;
}

// longest_line - the longest line, CRLF excluded.
inline std::size_t longest_line(std::string_view text) {
  std::size_t longest = 0, start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (end - start > longest) longest = end - start;
    start = end + 2;
  }
  return longest;
}

inline bool has_any_of(std::string_view text, std::string_view bytes) {
  return text.find_first_of(bytes) != std::string_view::npos;
}

inline constexpr std::string_view kCrLfNul{"\r\n\0", 3};

}  // namespace tern::fuzz
