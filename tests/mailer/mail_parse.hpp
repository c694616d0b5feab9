// mail_parse.hpp - a deliberately small, independent message reader for the
// mailer tests: split a built message into header fields and body, unfold,
// and check the wire-format invariants every built message must keep.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::mailer::testing {

struct ParsedMessage {
  std::vector<std::pair<std::string, std::string>> headers;  // name, unfolded value (one SP after ':' removed)
  std::string body;
};

// wire_problem - "" when every line ends in CRLF, no CR or LF stands alone,
// no line exceeds max_line octets, there is no NUL and (if seven_bit) every
// byte is below 0x80; else a description of the first problem.
inline std::string wire_problem(std::string_view msg, std::size_t max_line = 998, bool seven_bit = true) {
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < msg.size(); ++i) {
    const auto c = static_cast<unsigned char>(msg[i]);
    if (c == 0) return "NUL at " + std::to_string(i);
    if (seven_bit && c >= 0x80) return "8-bit byte at " + std::to_string(i);
    if (c == '\n') return "bare LF at " + std::to_string(i);
    if (c == '\r') {
      if (i + 1 >= msg.size() || msg[i + 1] != '\n') return "bare CR at " + std::to_string(i);
      if (i - line_start > max_line) return "line of " + std::to_string(i - line_start) + " at " + std::to_string(line_start);
      ++i;
      line_start = i + 1;
    }
  }
  if (line_start != msg.size()) return "last line lacks CRLF";
  return "";
}

inline ParsedMessage parse_message(std::string_view msg) {
  ParsedMessage parsed;
  const std::size_t split = msg.find("\r\n\r\n");
  const std::string_view head = msg.substr(0, split == std::string_view::npos ? msg.size() : split + 2);
  parsed.body = split == std::string_view::npos ? "" : std::string(msg.substr(split + 4));
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !parsed.headers.empty()) {
      parsed.headers.back().second += std::string(line);  // unfold: drop the CRLF only
    } else {
      const std::size_t colon = line.find(':');
      std::string value(colon == std::string_view::npos ? "" : line.substr(colon + 1));
      parsed.headers.emplace_back(std::string(line.substr(0, colon)), value);
    }
    pos = end + 2;
  }
  for (auto& header : parsed.headers) {
    if (!header.second.empty() && header.second[0] == ' ') header.second.erase(0, 1);
  }
  return parsed;
}

inline std::vector<std::string> header_values(const ParsedMessage& msg, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : msg.headers) {
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      out.push_back(v);
    }
  }
  return out;
}

inline std::vector<std::string> header_names(const ParsedMessage& msg) {
  std::vector<std::string> out;
  for (const auto& header : msg.headers) out.push_back(header.first);
  return out;
}

// multipart_bodies - the raw bodies (headers included) between delimiters.
inline std::vector<std::string> multipart_bodies(std::string_view body, std::string_view boundary) {
  std::vector<std::string> parts;
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t pos = body.find(delimiter);
  while (pos != std::string_view::npos) {
    const std::size_t start = pos + delimiter.size();
    if (body.substr(start, 2) == "--") break;
    const std::size_t next = body.find("\r\n" + delimiter, start);
    if (next == std::string_view::npos) break;
    parts.emplace_back(body.substr(start + 2, next - start - 2));
    pos = next + 2;
  }
  return parts;
}

}  // namespace tern::mailer::testing
