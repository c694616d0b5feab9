// suppressions_routes.cpp - thin handlers: parse -> validate -> SuppressionStore -> serialise.
#include "api/suppressions_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "api/pagination.hpp"
#include "mailer/address.hpp"
#include "store/redis/suppression_store.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;
using store::Suppression;
using store::SuppressionStore;

constexpr int kDefaultLimit = 20;

Json suppression_fields(const Suppression& s) {
  return Json{{"id", s.id},
              {"email", s.email},
              {"origin", store::to_string(s.origin)},
              {"source_id", s.source_id ? Json(*s.source_id) : Json(nullptr)},
              {"created_at", format_resend_timestamp(s.created_at)}};
}

Json suppression_object(const Suppression& s) {
  Json j{{"object", "suppression"}};
  const Json fields = suppression_fields(s);
  for (const auto& [key, value] : fields.items()) j[key] = value;
  return j;
}

ApiResponse backend_failure(const Error& error, const ApiRequest& request, const char* what) {
  log::error(what, {{"team", request.context.team}, {"error", error.message}});
  return error_response(from_error(error));
}

ApiResult<std::string> parse_address(const Json& value, std::string_view field) {
  if (!value.is_string()) return reject(validation_error("The `" + std::string(field) + "` field must be a string."));
  const std::string address = store::normalize_suppressed_address(value.get<std::string>());
  if (!mailer::is_valid_address(address))
    return reject(validation_error("Invalid `" + std::string(field) + "` field. The email address needs to follow the "
                                   "`email@example.com` format."));
  return address;
}

// string_array - body[field] as 1..kMaxBatch strings.
ApiResult<std::vector<std::string>> string_array(const Json& body, const char* field) {
  const Json& list = body.at(field);
  if (!list.is_array()) return reject(validation_error("The `" + std::string(field) + "` field must be an array."));
  if (list.empty() || list.size() > SuppressionStore::kMaxBatch)
    return reject(validation_error("The `" + std::string(field) + "` field must contain between 1 and " +
                                   std::to_string(SuppressionStore::kMaxBatch) + " items."));
  std::vector<std::string> out;
  for (const auto& item : list) {
    if (!item.is_string())
      return reject(validation_error("Every item of `" + std::string(field) + "` must be a string."));
    out.push_back(item.get<std::string>());
  }
  return out;
}

bool has(const Json& body, const char* field) { return body.contains(field) && !body.at(field).is_null(); }

ApiResponse create_suppression(const ApiRequest& request, ApiServices& services) {
  auto body = parse_json_object(request.body);
  if (!body) return error_response(body.error());
  if (!has(*body, "email")) return error_response(missing_required_field("email"));
  auto address = parse_address(body->at("email"), "email");
  if (!address) return error_response(address.error());
  SuppressionStore store(services.pool);
  auto added = store.add(request.context.team, *address, store::SuppressionOrigin::manual, std::nullopt,
                         services.clock.now());
  if (!added) return backend_failure(added.error(), request, "adding suppression failed");
  return json_response(201, Json{{"object", "suppression"}, {"id", added->entry.id}});
}

ApiResponse list_suppressions(const ApiRequest& request, ApiServices& services) {
  auto page = parse_page_request(request.query);
  if (!page) return error_response(page.error());
  store::SuppressionPageRequest query;
  query.limit = page->limit ? static_cast<int>(*page->limit) : kDefaultLimit;
  if (!page->after.empty()) query.after = page->after;
  if (!page->before.empty()) query.before = page->before;
  if (auto it = request.query.find("origin"); it != request.query.end() && !it->second.empty()) {
    query.origin = store::parse_suppression_origin(it->second);
    if (!query.origin)
      return error_response(validation_error("The `origin` must be one of `bounce`, `complaint` or `manual`."));
  }
  SuppressionStore store(services.pool);
  auto listed = store.list(request.context.team, query);
  if (!listed) return backend_failure(listed.error(), request, "listing suppressions failed");
  Json data = Json::array();
  for (const auto& s : listed->data) data.push_back(suppression_fields(s));
  return json_response(200, Json{{"object", "list"}, {"has_more", listed->has_more}, {"data", std::move(data)}});
}

// find_target - the entry a path segment names: a UUID, else an address.
ApiResult<std::optional<Suppression>> find_target(SuppressionStore& store, const ApiRequest& request) {
  const std::string& key = request.params.at(0);
  Result<std::optional<Suppression>> found = std::optional<Suppression>{};
  if (is_uuid(key)) {
    found = store.get_by_id(request.context.team, key);
  } else if (mailer::is_valid_address(store::normalize_suppressed_address(key))) {
    found = store.get_by_email(request.context.team, key);
  } else {
    return reject(invalid_parameter("The `id_or_email` must be a valid UUID or email address."));
  }
  if (!found) {
    log::error("reading suppression failed", {{"team", request.context.team}, {"error", found.error().message}});
    return reject(from_error(found.error()));
  }
  return std::move(*found);
}

ApiResponse get_suppression(const ApiRequest& request, ApiServices& services) {
  SuppressionStore store(services.pool);
  auto found = find_target(store, request);
  if (!found) return error_response(found.error());
  if (!*found) return error_response(not_found("Suppression not found."));
  return json_response(200, suppression_object(**found));
}

ApiResponse delete_suppression(const ApiRequest& request, ApiServices& services) {
  SuppressionStore store(services.pool);
  auto found = find_target(store, request);
  if (!found) return error_response(found.error());
  if (!*found) return error_response(not_found("Suppression not found."));
  auto removed = store.remove_by_id(request.context.team, (*found)->id, services.clock.now());
  if (!removed) return backend_failure(removed.error(), request, "removing suppression failed");
  if (!*removed) return error_response(not_found("Suppression not found."));  // removed meanwhile
  return json_response(200, Json{{"object", "suppression"}, {"id", (*removed)->id}, {"deleted", true}});
}

ApiResponse batch_add(const ApiRequest& request, ApiServices& services) {
  auto body = parse_json_object(request.body);
  if (!body) return error_response(body.error());
  auto emails = parse_suppression_emails(*body);
  if (!emails) return error_response(emails.error());
  SuppressionStore store(services.pool);
  auto added = store.add_batch(request.context.team, *emails, store::SuppressionOrigin::manual, std::nullopt,
                               services.clock.now());
  if (!added) return backend_failure(added.error(), request, "adding suppressions failed");
  Json data = Json::array();
  for (const auto& a : *added) data.push_back(Json{{"object", "suppression"}, {"id", a.entry.id}});
  return json_response(201, Json{{"data", std::move(data)}});
}

ApiResponse batch_remove(const ApiRequest& request, ApiServices& services) {
  auto body = parse_json_object(request.body);
  if (!body) return error_response(body.error());
  const bool by_emails = has(*body, "emails"), by_ids = has(*body, "ids");
  if (by_emails && by_ids) return error_response(validation_error("Use either `emails` or `ids`, not both."));
  if (!by_emails && !by_ids) return error_response(missing_required_field("emails"));
  SuppressionStore store(services.pool);
  Result<std::vector<Suppression>> removed = std::vector<Suppression>{};
  if (by_emails) {
    auto emails = parse_suppression_emails(*body);
    if (!emails) return error_response(emails.error());
    removed = store.remove_batch_by_emails(request.context.team, *emails, services.clock.now());
  } else {
    auto ids = string_array(*body, "ids");
    if (!ids) return error_response(ids.error());
    for (const auto& id : *ids)
      if (!is_uuid(id)) return error_response(invalid_uuid_parameter("ids"));
    removed = store.remove_batch_by_ids(request.context.team, *ids, services.clock.now());
  }
  if (!removed) return backend_failure(removed.error(), request, "removing suppressions failed");
  Json data = Json::array();
  for (const auto& s : *removed) data.push_back(Json{{"object", "suppression"}, {"id", s.id}, {"deleted", true}});
  return json_response(200, Json{{"data", std::move(data)}});
}

}  // namespace

ApiResult<std::vector<std::string>> parse_suppression_emails(const nlohmann::ordered_json& body) {
  if (!has(body, "emails")) return reject(missing_required_field("emails"));
  auto raw = string_array(body, "emails");
  if (!raw) return tl::unexpected(raw.error());
  std::vector<std::string> out;
  for (const auto& item : *raw) {
    auto address = parse_address(Json(item), "emails");
    if (!address) return tl::unexpected(address.error());
    out.push_back(std::move(*address));
  }
  return out;
}

void add_suppression_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"POST", "/suppressions", Access::full, create_suppression});
  routes.push_back(Route{"GET", "/suppressions", Access::full, list_suppressions});
  routes.push_back(Route{"POST", "/suppressions/batch/add", Access::full, batch_add});
  routes.push_back(Route{"POST", "/suppressions/batch/remove", Access::full, batch_remove});
  routes.push_back(Route{"GET", "/suppressions/:id_or_email", Access::full, get_suppression});
  routes.push_back(Route{"DELETE", "/suppressions/:id_or_email", Access::full, delete_suppression});
}

}  // namespace tern::api
