// api_keys_routes.cpp - thin handlers over ApiKeyStore.
#include "api/api_keys_routes.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "api/pagination.hpp"
#include "store/redis/domain_store.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"
#include "store/util/time_format.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// code_points - UTF-8 characters (the body is valid UTF-8 by now).
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// read_name - required, a string of 1..kMaxApiKeyName characters, no
// control characters.
ApiResult<std::string> read_name(const Json& body) {
  auto it = body.find("name");
  if (it == body.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty()))
    return reject(missing_required_field("name"));
  if (!it->is_string()) return reject(validation_error("The `name` field must be a string."));
  const auto& name = it->get_ref<const std::string&>();
  if (code_points(name) > kMaxApiKeyName)
    return reject(validation_error("The `name` field must be at most " + std::to_string(kMaxApiKeyName) +
                                   " characters long."));
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return reject(validation_error("The `name` field must not contain control characters."));
  return name;
}

ApiResult<store::Permission> read_permission(const Json& body) {
  auto it = body.find("permission");
  if (it == body.end() || it->is_null()) return store::Permission::full_access;
  if (!it->is_string()) return reject(invalid_access());
  auto permission = store::parse_permission(it->get_ref<const std::string&>());
  if (!permission) return reject(invalid_access());
  return *permission;
}

ApiResult<std::string> read_domain_id(const Json& body, store::Permission permission) {
  auto it = body.find("domain_id");
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string() || !is_uuid(it->get_ref<const std::string&>()))
    return reject(invalid_uuid_parameter("domain_id"));
  if (permission != store::Permission::sending_access)
    return reject(validation_error("A `domain_id` can only be given with `sending_access` permission."));
  return lowercase(it->get_ref<const std::string&>());
}

std::optional<std::string> key_id_param(const ApiRequest& request) {
  const std::string& raw = request.params.at(0);
  if (!is_uuid(raw)) return std::nullopt;
  return lowercase(raw);
}

ApiResponse store_failure(const char* what, const RequestContext& context, const Error& error) {
  log::error(what, {{"team", context.team}, {"error", error.message}});
  return error_response(from_error(error));
}

}  // namespace

ApiResult<NewApiKey> parse_new_api_key(std::string_view body) {
  auto json = parse_json_object(body);
  if (!json) return reject(json.error());
  NewApiKey out;
  auto name = read_name(*json);
  if (!name) return reject(name.error());
  auto permission = read_permission(*json);
  if (!permission) return reject(permission.error());
  auto domain_id = read_domain_id(*json, *permission);
  if (!domain_id) return reject(domain_id.error());
  out.name = std::move(*name);
  out.permission = *permission;
  out.domain_id = std::move(*domain_id);
  return out;
}

Json api_key_list_item(const store::ApiKey& key) {
  Json out;
  out["id"] = key.id;
  out["name"] = key.name;
  out["created_at"] = format_resend_timestamp(key.created_at);
  out["last_used_at"] = key.last_used_at ? Json(format_resend_timestamp(*key.last_used_at)) : Json(nullptr);
  return out;
}

void add_api_key_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"POST", "/api-keys", Access::full, create_api_key});
  routes.push_back(Route{"GET", "/api-keys", Access::full, list_api_keys});
  routes.push_back(Route{"PATCH", "/api-keys/:id", Access::full, update_api_key});
  routes.push_back(Route{"DELETE", "/api-keys/:id", Access::full, delete_api_key});
}

ApiResponse create_api_key(const ApiRequest& request, ApiServices& services) {
  auto wanted = parse_new_api_key(request.body);
  if (!wanted) return error_response(wanted.error());
  if (!wanted->domain_id.empty()) {
    store::DomainStore domains(services.pool);
    auto domain = domains.get(request.context.team, wanted->domain_id);
    if (!domain) return store_failure("reading domain failed", request.context, domain.error());
    if (!*domain) return error_response(not_found("Domain not found."));
  }
  store::ApiKeyStore keys(services.pool);
  auto created = keys.create(wanted->name, request.context.team, wanted->permission, wanted->domain_id);
  if (!created) return store_failure("creating api key failed", request.context, created.error());
  log::info("api key created", {{"team", request.context.team}, {"key_id", created->key.id},
                                {"permission", store::to_string(wanted->permission)}});
  return json_response(201, Json{{"id", created->key.id}, {"token", created->token}});
}

ApiResponse list_api_keys(const ApiRequest& request, ApiServices& services) {
  auto page_request = parse_page_request(request.query);
  if (!page_request) return error_response(page_request.error());
  store::ApiKeyStore keys(services.pool);
  auto all = keys.list(request.context.team);
  if (!all) return store_failure("listing api keys failed", request.context, all.error());
  std::sort(all->begin(), all->end(), [](const store::ApiKey& a, const store::ApiKey& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  auto page = paginate(std::move(*all), *page_request, [](const store::ApiKey& key) { return key.id; });
  Json data = Json::array();
  for (const auto& key : page.items) data.push_back(api_key_list_item(key));
  return json_response(200, Json{{"object", "list"}, {"has_more", page.has_more}, {"data", std::move(data)}});
}

ApiResponse update_api_key(const ApiRequest& request, ApiServices& services) {
  auto id = key_id_param(request);
  if (!id) return error_response(invalid_uuid_parameter("id"));
  auto body = parse_json_object(request.body);
  if (!body) return error_response(body.error());
  auto name = read_name(*body);
  if (!name) return error_response(name.error());
  store::ApiKeyStore keys(services.pool);
  auto renamed = keys.rename(request.context.team, *id, *name);
  if (!renamed) return store_failure("renaming api key failed", request.context, renamed.error());
  if (!*renamed) return error_response(not_found("API key not found."));
  return json_response(200, Json{{"object", "api_key"}, {"id", *id}});
}

ApiResponse delete_api_key(const ApiRequest& request, ApiServices& services) {
  auto id = key_id_param(request);
  if (!id) return error_response(invalid_uuid_parameter("id"));
  store::ApiKeyStore keys(services.pool);
  auto removed = keys.remove(request.context.team, *id);
  if (!removed) return store_failure("deleting api key failed", request.context, removed.error());
  if (!*removed) return error_response(not_found("API key not found."));
  log::info("api key deleted", {{"team", request.context.team}, {"key_id", *id}});
  return json_response(200, Json{{"object", "api_key"}, {"id", *id}, {"deleted", true}});
}

}  // namespace tern::api
