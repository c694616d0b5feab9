// api_keys_routes.hpp - the /api-keys resource (resend-api.md §7), full
// access only.
//
//   POST   /api-keys      {name (1-50 characters), permission full_access
//                         (default) | sending_access, domain_id (only with
//                         sending_access; one of the team's domains)} ->
//                         201 {"id","token"}. The token is shown only here;
//                         the store keeps its SHA-256.
//   GET    /api-keys      {"object":"list","has_more","data":[{id,name,
//                         created_at,last_used_at}]}, newest first;
//                         limit/after/before as pagination.hpp (no limit:
//                         every key, like Resend's older list endpoints).
//   PATCH  /api-keys/:id  {name} -> {"object":"api_key","id"}
//   DELETE /api-keys/:id  -> {"object":"api_key","id","deleted":true}
// Errors: 422 invalid_access for another permission, 422 validation_error
// for a bad name or a domain_id with full_access, 422 invalid_parameter
// for a non-UUID id, 404 not_found for a key or domain not in the team.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/router.hpp"
#include "store/redis/api_key_store.hpp"

namespace tern::api {

inline constexpr std::size_t kMaxApiKeyName = 50;

struct NewApiKey {
  std::string name;
  store::Permission permission = store::Permission::full_access;
  std::string domain_id;  // lower-case UUID or empty
};

// parse_new_api_key - the POST body, validated (pure; the domain's
// existence is checked by the handler).
ApiResult<NewApiKey> parse_new_api_key(std::string_view body);

// api_key_list_item - {id, name, created_at, last_used_at} (pure).
nlohmann::ordered_json api_key_list_item(const store::ApiKey& key);

void add_api_key_routes(std::vector<Route>& routes);

ApiResponse create_api_key(const ApiRequest& request, ApiServices& services);
ApiResponse list_api_keys(const ApiRequest& request, ApiServices& services);
ApiResponse update_api_key(const ApiRequest& request, ApiServices& services);
ApiResponse delete_api_key(const ApiRequest& request, ApiServices& services);

}  // namespace tern::api
