// auth.cpp - bearer token parsing and key lookup.
#include "api/auth.hpp"

#include <cctype>

#include "store/util/log.hpp"

namespace tern::api {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

ApiResult<std::string_view> parse_bearer(std::optional<std::string_view> authorization) {
  if (!authorization) return reject(missing_api_key());
  std::string_view value = trim(*authorization);
  constexpr std::string_view kScheme = "Bearer";
  // The scheme is case-insensitive (RFC 9110 §11.1) and needs a space after it.
  if (value.size() <= kScheme.size() || !iequals(value.substr(0, kScheme.size()), kScheme) ||
      (value[kScheme.size()] != ' ' && value[kScheme.size()] != '\t'))
    return reject(missing_api_key());
  std::string_view token = trim(value.substr(kScheme.size()));
  if (token.empty()) return reject(missing_api_key());
  return token;
}

ApiResult<RequestContext> authenticate(store::ApiKeyStore& keys, std::optional<std::string_view> authorization) {
  auto token = parse_bearer(authorization);
  if (!token) return reject(token.error());
  auto key = keys.authenticate(*token);
  if (!key) {
    log::error("api key lookup failed", {{"error", key.error().message}});
    return reject(from_error(key.error()));
  }
  if (!*key) return reject(invalid_api_key());
  const store::ApiKey& found = **key;
  return RequestContext{found.team, found.permission, found.id, found.domain_id};
}

ApiResult<void> check_access(const RequestContext& context, Access access) {
  if (access == Access::full && context.permission != store::Permission::full_access)
    return reject(restricted_api_key());
  return {};
}

}  // namespace tern::api
