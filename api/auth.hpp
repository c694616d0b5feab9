// auth.hpp - "Authorization: Bearer re_..." to the team and permission of
// the key, and the permission check for each route.
//
// Errors (resend-api.md §2): no header, an empty token or another scheme ->
// 401 missing_api_key; a token no key matches -> 403 invalid_api_key; a
// sending_access key on anything but sending -> 401 restricted_api_key; a
// Redis failure -> 500 application_error. Tokens are never logged.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/errors.hpp"
#include "store/redis/api_key_store.hpp"

namespace tern::api {

// RequestContext - who is calling; every store call is scoped by `team`.
struct RequestContext {
  std::string team;
  store::Permission permission = store::Permission::full_access;
  std::string key_id;
  std::string domain_id;  // a sending_access key limited to one domain, or empty
};

// Access - what a route needs.
enum class Access { none, sending, full };

// parse_bearer - the token of an Authorization header value (pure).
ApiResult<std::string_view> parse_bearer(std::optional<std::string_view> authorization);

// authenticate - header -> RequestContext through the key store.
ApiResult<RequestContext> authenticate(store::ApiKeyStore& keys, std::optional<std::string_view> authorization);

// check_access - may this key call a route needing `access`? (pure)
ApiResult<void> check_access(const RequestContext& context, Access access);

}  // namespace tern::api
