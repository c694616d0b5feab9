// webhook_url.cpp - see webhook_url.hpp.
#include "store/redis/webhook_url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace tern::store {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

bool is_ipv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

// check_name - letters, digits, '-', '.'; non-empty labels; a numeric-looking
// last label only as part of a real dotted quad.
Result<void> check_name(const std::string& host) {
  if (host.empty() || host.size() > 253) return fail(Errc::invalid_argument, "the endpoint host is missing or too long");
  std::string_view h = host;
  if (h.back() == '.') h.remove_suffix(1);  // a fully qualified name
  size_t start = 0;
  std::string_view last;
  while (start <= h.size()) {
    size_t dot = h.find('.', start);
    std::string_view label = h.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return fail(Errc::invalid_argument, "the endpoint host is not a valid name");
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
        return fail(Errc::invalid_argument, "the endpoint host is not a valid name");
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  bool numeric = std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c); }) ||
                 (last.size() > 1 && last[0] == '0' && (last[1] == 'x'));
  if (numeric) return fail(Errc::invalid_argument, "the endpoint host looks like an IP address but is not one");
  return {};
}

Result<uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return fail(Errc::invalid_argument, "the endpoint port is invalid");
  unsigned value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return fail(Errc::invalid_argument, "the endpoint port is invalid");
    value = value * 10 + unsigned(c - '0');
  }
  if (value == 0 || value > 65535) return fail(Errc::invalid_argument, "the endpoint port is invalid");
  return uint16_t(value);
}

// parse_authority - host[:port] or [v6][:port], no userinfo.
Result<void> parse_authority(std::string_view authority, WebhookUrl& url) {
  if (authority.find('@') != std::string_view::npos)
    return fail(Errc::invalid_argument, "the endpoint must not contain a user name or password");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(Errc::invalid_argument, "the endpoint host is not a valid IPv6 literal");
    url.host = lower(authority.substr(1, close - 1));
    if (!is_ipv6(url.host)) return fail(Errc::invalid_argument, "the endpoint host is not a valid IPv6 literal");
    url.host_is_ip = true;
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail(Errc::invalid_argument, "the endpoint host is not a valid IPv6 literal");
      port_text = rest.substr(1);
      if (port_text.empty()) return fail(Errc::invalid_argument, "the endpoint port is invalid");
    }
  } else {
    auto colon = authority.find(':');
    url.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return fail(Errc::invalid_argument, "the endpoint port is invalid");
    }
    url.host_is_ip = is_ipv4(url.host);
    if (!url.host_is_ip)
      if (auto ok = check_name(url.host); !ok) return ok;
  }
  if (!port_text.empty()) {
    auto port = parse_port(port_text);
    if (!port) return tl::unexpected(port.error());
    url.port = *port;
  }
  return {};
}

}  // namespace

std::string WebhookUrl::host_header() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (https ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

Result<WebhookUrl> parse_webhook_url(std::string_view text) {
  if (text.empty()) return fail(Errc::invalid_argument, "the endpoint must be a URL");
  if (text.size() > kMaxWebhookUrlLength) return fail(Errc::invalid_argument, "the endpoint URL is too long");
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return fail(Errc::invalid_argument, "the endpoint URL contains spaces or characters that need escaping");
  WebhookUrl url;
  std::string head = lower(text.substr(0, std::min<size_t>(text.size(), 8)));
  std::string_view rest;
  if (head.rfind("https://", 0) == 0) {
    url.https = true;
    url.port = 443;
    rest = text.substr(8);
  } else if (head.rfind("http://", 0) == 0) {
    url.https = false;
    url.port = 80;
    rest = text.substr(7);
  } else {
    return fail(Errc::invalid_argument, "the endpoint must be an http or https URL");
  }
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t end = rest.find_first_of("/?");
  if (auto ok = parse_authority(rest.substr(0, end), url); !ok) return tl::unexpected(ok.error());
  std::string_view target = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (target.empty()) url.target = "/";
  else if (target.front() == '?') url.target = "/" + std::string(target);
  else url.target = std::string(target);
  return url;
}

}  // namespace tern::store
