// webhooks_routes.cpp - thin handlers over WebhookStore: parse -> validate
// (pure) -> store -> serialise.
#include "api/webhooks_routes.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "api/pagination.hpp"
#include "dnscheck/address_class.hpp"
#include "store/redis/webhook_url.hpp"
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

bool absent(const Json& body, const char* key) {
  auto it = body.find(key);
  return it == body.end() || it->is_null();
}

// read_endpoint - a URL the dispatcher may call; names are checked again
// (resolved, every address) at each send.
ApiResult<std::string> read_endpoint(const Json& value, const EndpointPolicy& policy) {
  if (!value.is_string()) return reject(validation_error("The `endpoint` field must be a string."));
  const auto& text = value.get_ref<const std::string&>();
  auto url = store::parse_webhook_url(text);
  if (!url) return reject(validation_error("Invalid `endpoint`: " + url.error().message + "."));
  if (!url->https && !policy.allow_http) return reject(validation_error("The `endpoint` must be an https URL."));
  if (url->host_is_ip && !policy.allow_private && !dns::is_public_address(url->host))
    return reject(validation_error("The `endpoint` must not point to a private or loopback address."));
  return text;
}

// read_events - one or more known event types, duplicates dropped, order kept.
ApiResult<std::vector<std::string>> read_events(const Json& value) {
  if (!value.is_array()) return reject(validation_error("The `events` field must be an array of event types."));
  if (value.empty()) return reject(validation_error("The `events` field must list at least one event type."));
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string() || !store::is_webhook_event_type(item.get_ref<const std::string&>()))
      return reject(validation_error("The `events` field contains an unknown event type" +
                                     (item.is_string() ? ": `" + item.get<std::string>() + "`." : ".")));
    const auto& type = item.get_ref<const std::string&>();
    if (std::find(out.begin(), out.end(), type) == out.end()) out.push_back(type);
  }
  return out;
}

ApiResult<std::string> webhook_id_param(const ApiRequest& request) {
  const std::string& raw = request.params.at(0);
  if (!is_uuid(raw)) return reject(invalid_uuid_parameter("id"));
  return lowercase(raw);
}

ApiResponse store_failure(std::string_view what, const RequestContext& context, const Error& error) {
  log::error(what, {{"team", context.team}, {"error", error.message}});
  return error_response(from_error(error));
}

Json events_json(const std::optional<std::vector<std::string>>& events) {
  return events ? Json(*events) : Json(nullptr);
}

Json list_item(const store::Webhook& w) {
  return Json{{"id", w.id},
              {"endpoint", w.endpoint},
              {"created_at", format_resend_timestamp(w.created_at)},
              {"status", store::to_string(w.status)},
              {"events", events_json(w.events)}};
}

}  // namespace

EndpointPolicy endpoint_policy(const ApiOptions& options) {
  return EndpointPolicy{options.webhook_allow_private || options.dev, options.webhook_allow_private};
}

void add_webhook_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"POST", "/webhooks", Access::full, create_webhook});
  routes.push_back(Route{"GET", "/webhooks", Access::full, list_webhooks});
  routes.push_back(Route{"GET", "/webhooks/:id", Access::full, get_webhook});
  routes.push_back(Route{"PATCH", "/webhooks/:id", Access::full, update_webhook});
  routes.push_back(Route{"DELETE", "/webhooks/:id", Access::full, delete_webhook});
}

ApiResult<NewWebhook> parse_new_webhook(std::string_view text, const EndpointPolicy& policy) {
  auto body = parse_json_object(text);
  if (!body) return reject(body.error());
  if (absent(*body, "endpoint")) return reject(missing_required_field("endpoint"));
  if (absent(*body, "events")) return reject(missing_required_field("events"));
  auto endpoint = read_endpoint((*body)["endpoint"], policy);
  if (!endpoint) return reject(endpoint.error());
  auto events = read_events((*body)["events"]);
  if (!events) return reject(events.error());
  return NewWebhook{std::move(*endpoint), std::move(*events)};
}

ApiResult<store::WebhookPatch> parse_webhook_patch(std::string_view text, const EndpointPolicy& policy) {
  auto body = parse_json_object(text);
  if (!body) return reject(body.error());
  store::WebhookPatch patch;
  if (!absent(*body, "endpoint")) {
    auto endpoint = read_endpoint((*body)["endpoint"], policy);
    if (!endpoint) return reject(endpoint.error());
    patch.endpoint = std::move(*endpoint);
  }
  if (!absent(*body, "events")) {
    auto events = read_events((*body)["events"]);
    if (!events) return reject(events.error());
    patch.events = std::optional<std::vector<std::string>>(std::move(*events));
  }
  if (!absent(*body, "status")) {
    const Json& value = (*body)["status"];
    auto status = value.is_string() ? store::parse_webhook_status(value.get_ref<const std::string&>()) : std::nullopt;
    if (!status) return reject(validation_error("The `status` field must be \"enabled\" or \"disabled\"."));
    patch.status = *status;
  }
  return patch;
}

ApiResponse create_webhook(const ApiRequest& request, ApiServices& services) {
  auto wanted = parse_new_webhook(request.body, endpoint_policy(services.options));
  if (!wanted) return error_response(wanted.error());
  store::WebhookStore webhooks(services.pool);
  auto created = webhooks.create(request.context.team, wanted->endpoint, wanted->events, services.clock.now());
  if (!created) return store_failure("creating webhook failed", request.context, created.error());
  log::info("webhook created", {{"team", request.context.team}, {"webhook_id", created->id}});
  return json_response(
      201, Json{{"object", "webhook"}, {"id", created->id}, {"signing_secret", created->signing_secret}});
}

ApiResponse list_webhooks(const ApiRequest& request, ApiServices& services) {
  auto page_request = parse_page_request(request.query);
  if (!page_request) return error_response(page_request.error());
  store::WebhookStore webhooks(services.pool);
  auto all = webhooks.list(request.context.team);
  if (!all) return store_failure("listing webhooks failed", request.context, all.error());
  auto page = paginate(std::move(*all), *page_request, [](const store::Webhook& w) { return w.id; });
  Json data = Json::array();
  for (const auto& w : page.items) data.push_back(list_item(w));
  return json_response(200, Json{{"object", "list"}, {"has_more", page.has_more}, {"data", std::move(data)}});
}

ApiResponse get_webhook(const ApiRequest& request, ApiServices& services) {
  auto id = webhook_id_param(request);
  if (!id) return error_response(id.error());
  store::WebhookStore webhooks(services.pool);
  auto found = webhooks.get(request.context.team, *id);
  if (!found) return store_failure("reading webhook failed", request.context, found.error());
  if (!*found) return error_response(not_found("Webhook not found."));
  const store::Webhook& w = **found;
  return json_response(200, Json{{"object", "webhook"},
                                 {"id", w.id},
                                 {"created_at", format_resend_timestamp(w.created_at)},
                                 {"status", store::to_string(w.status)},
                                 {"endpoint", w.endpoint},
                                 {"events", events_json(w.events)},
                                 {"signing_secret", w.signing_secret}});
}

ApiResponse update_webhook(const ApiRequest& request, ApiServices& services) {
  auto id = webhook_id_param(request);
  if (!id) return error_response(id.error());
  auto patch = parse_webhook_patch(request.body, endpoint_policy(services.options));
  if (!patch) return error_response(patch.error());
  store::WebhookStore webhooks(services.pool);
  auto updated = webhooks.update(request.context.team, *id, *patch);
  if (!updated) return store_failure("updating webhook failed", request.context, updated.error());
  if (!*updated) return error_response(not_found("Webhook not found."));
  return json_response(200, Json{{"object", "webhook"}, {"id", *id}});
}

ApiResponse delete_webhook(const ApiRequest& request, ApiServices& services) {
  auto id = webhook_id_param(request);
  if (!id) return error_response(id.error());
  store::WebhookStore webhooks(services.pool);
  auto removed = webhooks.remove(request.context.team, *id);
  if (!removed) return store_failure("deleting webhook failed", request.context, removed.error());
  if (!*removed) return error_response(not_found("Webhook not found."));
  log::info("webhook deleted", {{"team", request.context.team}, {"webhook_id", *id}});
  return json_response(200, Json{{"object", "webhook"}, {"id", *id}, {"deleted", true}});
}

}  // namespace tern::api
