// server_command.cpp - splitting inbound command lines.
#include "mailer/smtp/server_command.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tern::smtp {
namespace {

constexpr std::size_t kMaxPath = 256;  // RFC 5321 §4.5.3.1.3

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::toupper(c)); });
  return out;
}

std::string_view skip_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// size_parameter - the value of SIZE= among ESMTP parameters, if any.
std::optional<uint64_t> size_parameter(std::string_view params) {
  while (!params.empty()) {
    params = skip_spaces(params);
    auto end = params.find(' ');
    std::string_view param = params.substr(0, end);
    params = end == std::string_view::npos ? std::string_view() : params.substr(end);
    if (param.size() > 5 && upper(param.substr(0, 5)) == "SIZE=") {
      uint64_t n = 0;
      auto value = param.substr(5);
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec == std::errc() && p == value.data() + value.size()) return n;
    }
  }
  return std::nullopt;
}

}  // namespace

ServerCommand parse_server_command(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  auto space = line.find(' ');
  ServerCommand c;
  c.verb = upper(line.substr(0, space));
  if (space != std::string_view::npos) c.argument = std::string(skip_spaces(line.substr(space + 1)));
  return c;
}

Result<PathArgument> parse_path_argument(std::string_view argument, std::string_view keyword) {
  if (argument.size() <= keyword.size() || upper(argument.substr(0, keyword.size())) != upper(keyword) ||
      argument[keyword.size()] != ':')
    return fail(Errc::invalid_argument, "expected " + std::string(keyword) + ":<address>");
  std::string_view rest = skip_spaces(argument.substr(keyword.size() + 1));
  if (rest.empty() || rest.front() != '<') return fail(Errc::invalid_argument, "the path must be in angle brackets");
  auto close = rest.find('>');
  if (close == std::string_view::npos) return fail(Errc::invalid_argument, "unterminated path");
  std::string_view path = rest.substr(1, close - 1);
  if (path.size() > kMaxPath) return fail(Errc::invalid_argument, "path too long");
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f || c == '<') return fail(Errc::invalid_argument, "bad character in path");
  // A source route "@a,@b:user@host" (RFC 5321 §4.1.2, obsolete) keeps only the mailbox.
  if (!path.empty() && path.front() == '@') {
    auto colon = path.find(':');
    if (colon == std::string_view::npos) return fail(Errc::invalid_argument, "bad source route");
    path = path.substr(colon + 1);
  }
  PathArgument out;
  out.path = std::string(path);
  out.size = size_parameter(rest.substr(close + 1));
  out.params = std::string(skip_spaces(rest.substr(close + 1)));
  return out;
}

}  // namespace tern::smtp
