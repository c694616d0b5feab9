// domains_routes.cpp - thin handlers over domains::DomainService and
// store::DomainStore: parse -> service/store -> view.
#include "api/domains_routes.hpp"

#include <cctype>

#include "api/domain_view.hpp"
#include "api/json_body.hpp"
#include "api/pagination.hpp"
#include "domains/domain_name.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

ApiError invalid_region() {
  return ApiError{422, "invalid_region", "Region must be one of: us-east-1, eu-west-1, sa-east-1, ap-northeast-1."};
}

// optional_string - body[field] when present and not null; type errors are 422.
ApiResult<std::optional<std::string>> optional_string(const Json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return reject(validation_error("The `" + std::string(field) + "` field must be a string."));
  return std::optional<std::string>(it->get<std::string>());
}

ApiResult<std::optional<bool>> optional_bool(const Json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<bool>{};
  if (!it->is_boolean()) return reject(validation_error("The `" + std::string(field) + "` field must be a boolean."));
  return std::optional<bool>(it->get<bool>());
}

// failure - an Error as the API answers it; backend trouble is logged.
ApiResponse failure(const Error& error, std::string_view what, std::string_view team) {
  if (error.code == Errc::unavailable || error.code == Errc::internal || error.code == Errc::protocol)
    log::error(what, {{"team", std::string(team)}, {"error", error.message}});
  return error_response(from_error(error));
}

// domain_id - the :id parameter, lower-cased, or 422 invalid_parameter.
ApiResult<std::string> domain_id(const ApiRequest& request) {
  const std::string& raw = request.params.at(0);
  if (!is_uuid(raw)) return reject(invalid_uuid_parameter("id"));
  return lowercase(raw);
}

ApiResponse domain_not_found() { return error_response(not_found("Domain not found.")); }

}  // namespace

void add_domain_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"POST", "/domains", Access::full, create_domain});
  routes.push_back(Route{"GET", "/domains", Access::full, list_domains});
  routes.push_back(Route{"GET", "/domains/:id", Access::full, get_domain});
  routes.push_back(Route{"PATCH", "/domains/:id", Access::full, update_domain});
  routes.push_back(Route{"DELETE", "/domains/:id", Access::full, delete_domain});
  routes.push_back(Route{"POST", "/domains/:id/verify", Access::full, verify_domain});
}

domains::DomainSettings domain_settings(const ApiOptions& options) {
  domains::DomainSettings settings = domains::settings_for_host(options.hostname, options.master_key);
  if (!options.dkim_selector.empty()) settings.dkim_selector = options.dkim_selector;
  if (!options.spf_mechanism.empty()) settings.spf_mechanism = options.spf_mechanism;
  if (!options.feedback_host.empty()) settings.feedback_host = options.feedback_host;
  return settings;
}

ApiResult<domains::CreateDomainRequest> parse_create_domain(std::string_view text) {
  auto body = parse_json_object(text);
  if (!body) return reject(body.error());
  domains::CreateDomainRequest request;
  auto name = optional_string(*body, "name");
  if (!name) return reject(name.error());
  if (!*name) return reject(missing_required_field("name"));
  request.name = **name;
  for (auto [field, target] : {std::pair{"region", &request.region},
                               std::pair{"custom_return_path", &request.custom_return_path},
                               std::pair{"tls", &request.tls}}) {
    auto value = optional_string(*body, field);
    if (!value) return reject(value.error());
    if (*value) *target = **value;
  }
  if (!domains::is_region(request.region)) return reject(invalid_region());
  for (auto [field, target] : {std::pair{"open_tracking", &request.open_tracking},
                               std::pair{"click_tracking", &request.click_tracking},
                               std::pair{"dkim_ed25519", &request.dkim_ed25519}}) {
    auto value = optional_bool(*body, field);
    if (!value) return reject(value.error());
    if (*value) *target = **value;
  }
  return request;
}

ApiResponse create_domain(const ApiRequest& request, ApiServices& services) {
  auto parsed = parse_create_domain(request.body);
  if (!parsed) return error_response(parsed.error());
  domains::DomainService service(services.pool, services.resolver, domain_settings(services.options));
  auto created = service.create(request.context.team, *parsed, services.clock.now());
  if (!created) return failure(created.error(), "creating domain failed", request.context.team);
  log::info("domain created", {{"domain_id", created->id}, {"team", request.context.team}, {"name", created->name}});
  return json_response(201, domain_created_view(*created));
}

ApiResponse list_domains(const ApiRequest& request, ApiServices& services) {
  auto page_request = parse_page_request(request.query);
  if (!page_request) return error_response(page_request.error());
  store::DomainStore store(services.pool);
  auto listed = store.list(request.context.team);
  if (!listed) return failure(listed.error(), "listing domains failed", request.context.team);
  auto page = paginate(std::move(*listed), *page_request, [](const store::Domain& d) { return d.id; });
  Json data = Json::array();
  for (const auto& d : page.items) data.push_back(domain_list_item(d));
  return json_response(200, Json{{"object", "list"}, {"has_more", page.has_more}, {"data", std::move(data)}});
}

ApiResponse get_domain(const ApiRequest& request, ApiServices& services) {
  auto id = domain_id(request);
  if (!id) return error_response(id.error());
  store::DomainStore store(services.pool);
  auto found = store.get(request.context.team, *id);
  if (!found) return failure(found.error(), "reading domain failed", request.context.team);
  if (!*found) return domain_not_found();
  return json_response(200, domain_view(**found));
}

ApiResponse update_domain(const ApiRequest& request, ApiServices& services) {
  auto id = domain_id(request);
  if (!id) return error_response(id.error());
  auto body = parse_json_object(request.body);
  if (!body) return error_response(body.error());
  auto tls = optional_string(*body, "tls");
  if (!tls) return error_response(tls.error());
  if (*tls && !domains::is_tls_mode(**tls))
    return error_response(validation_error("The `tls` field must be `opportunistic` or `enforced`."));
  auto open_tracking = optional_bool(*body, "open_tracking");
  if (!open_tracking) return error_response(open_tracking.error());
  auto click_tracking = optional_bool(*body, "click_tracking");
  if (!click_tracking) return error_response(click_tracking.error());

  store::DomainStore store(services.pool);
  auto found = store.get(request.context.team, *id);
  if (!found) return failure(found.error(), "reading domain failed", request.context.team);
  if (!*found) return domain_not_found();
  store::Domain d = std::move(**found);
  if (*tls) d.tls = **tls;
  if (*open_tracking) d.open_tracking = **open_tracking;
  if (*click_tracking) d.click_tracking = **click_tracking;
  if (auto stored = store.update(d); !stored) {
    if (stored.error().code == Errc::not_found) return domain_not_found();  // deleted meanwhile
    return failure(stored.error(), "updating domain failed", request.context.team);
  }
  return json_response(200, Json{{"object", "domain"}, {"id", d.id}});
}

ApiResponse delete_domain(const ApiRequest& request, ApiServices& services) {
  auto id = domain_id(request);
  if (!id) return error_response(id.error());
  store::DomainStore store(services.pool);
  auto removed = store.remove(request.context.team, *id);
  if (!removed) return failure(removed.error(), "deleting domain failed", request.context.team);
  if (!*removed) return domain_not_found();
  log::info("domain deleted", {{"domain_id", *id}, {"team", request.context.team}});
  return json_response(200, Json{{"object", "domain"}, {"id", *id}, {"deleted", true}});
}

ApiResponse verify_domain(const ApiRequest& request, ApiServices& services) {
  auto id = domain_id(request);
  if (!id) return error_response(id.error());
  domains::DomainService service(services.pool, services.resolver, domain_settings(services.options));
  auto checked = service.verify(request.context.team, *id, services.clock.now());
  if (!checked) return failure(checked.error(), "verifying domain failed", request.context.team);
  log::info("domain checked", {{"domain_id", *id}, {"team", request.context.team}, {"status", checked->status}});
  return json_response(200, domain_verified_view(*checked));
}

}  // namespace tern::api
