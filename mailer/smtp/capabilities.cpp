// capabilities.cpp - EHLO reply to Capabilities (see capabilities.hpp).
#include "mailer/smtp/capabilities.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace tern::smtp {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// split_words - split on spaces (and tabs), skipping empty words.
std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
    std::size_t end = pos;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
    if (end > pos) words.push_back(s.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

std::optional<uint64_t> parse_size(std::string_view digits) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

void add_auth(Capabilities& caps, const std::vector<std::string_view>& mechanisms) {
  for (std::string_view m : mechanisms) {
    if (m.empty()) continue;
    std::string name = upper(m);
    if (std::find(caps.auth_mechanisms.begin(), caps.auth_mechanisms.end(), name) == caps.auth_mechanisms.end()) {
      caps.auth_mechanisms.push_back(std::move(name));
    }
  }
}

void apply_line(Capabilities& caps, std::string_view line) {
  std::vector<std::string_view> words = split_words(line);
  if (words.empty()) return;
  std::string keyword = upper(words[0]);
  std::vector<std::string_view> params(words.begin() + 1, words.end());
  if (keyword == "STARTTLS") caps.starttls = true;
  else if (keyword == "PIPELINING") caps.pipelining = true;
  else if (keyword == "8BITMIME") caps.eightbitmime = true;
  else if (keyword == "SMTPUTF8") caps.smtputf8 = true;
  else if (keyword == "ENHANCEDSTATUSCODES") caps.enhanced_status_codes = true;
  else if (keyword == "CHUNKING") caps.chunking = true;
  else if (keyword == "DSN") caps.dsn = true;
  else if (keyword == "SIZE") caps.size_limit = params.empty() ? std::optional<uint64_t>(0) : parse_size(params[0]);
  else if (keyword == "AUTH") add_auth(caps, params);
  else if (keyword.rfind("AUTH=", 0) == 0) {  // pre-RFC 4954 form, still sent by some servers
    params.insert(params.begin(), words[0].substr(5));
    add_auth(caps, params);
  }
}

}  // namespace

Capabilities parse_capabilities(const Reply& ehlo_reply) {
  Capabilities caps;
  caps.esmtp = ehlo_reply.code >= 200 && ehlo_reply.code < 300;
  if (!caps.esmtp) return caps;
  for (std::size_t i = 1; i < ehlo_reply.lines.size(); ++i) apply_line(caps, ehlo_reply.lines[i]);
  return caps;
}

}  // namespace tern::smtp
