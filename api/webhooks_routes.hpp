// webhooks_routes.hpp - the /webhooks resource (resend-api.md §8.1), every
// route full access (a sending_access key gets 401 restricted_api_key).
//
//   POST   /webhooks      {endpoint, events} -> 201 {"object":"webhook","id",
//                         "signing_secret"}. endpoint: an http(s) URL without
//                         user name or password; https only unless
//                         webhook_allow_private or dev; no literal
//                         non-public IP unless webhook_allow_private.
//                         events: at least one known event type.
//   GET    /webhooks      {"object":"list","has_more","data":[{id, endpoint,
//                         created_at, status, events}]} newest first, no
//                         secret; ?limit&after&before.
//   GET    /webhooks/:id  {"object":"webhook", id, created_at, status,
//                         endpoint, events, signing_secret}.
//   PATCH  /webhooks/:id  {endpoint?, events?, status?} (null = unchanged)
//                         -> {"object":"webhook","id"}; enabling again clears
//                         the failure tracking that disabled it.
//   DELETE /webhooks/:id  {"object":"webhook","id","deleted":true}.
// Missing endpoint/events -> 422 missing_required_field; a bad value -> 422
// validation_error. A non-UUID id is 422 invalid_parameter; an unknown id or
// another team's is 404 not_found. Redis trouble is 500 (logged).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "store/redis/webhook_store.hpp"

namespace tern::api {

void add_webhook_routes(std::vector<Route>& routes);

struct NewWebhook {
  std::string endpoint;
  std::vector<std::string> events;
};

// EndpointPolicy - which endpoints may be registered. Names are checked
// again at every send (worker/ssrf_guard.hpp), where only allow_private
// counts.
struct EndpointPolicy {
  bool allow_http = false;     // http:// as well as https://
  bool allow_private = false;  // literal loopback/private IPs
};
EndpointPolicy endpoint_policy(const ApiOptions& options);  // http: allow_private or dev

// parse_new_webhook - the POST body, validated (pure).
ApiResult<NewWebhook> parse_new_webhook(std::string_view body, const EndpointPolicy& policy);

// parse_webhook_patch - the PATCH body, validated (pure).
ApiResult<store::WebhookPatch> parse_webhook_patch(std::string_view body, const EndpointPolicy& policy);

ApiResponse create_webhook(const ApiRequest& request, ApiServices& services);
ApiResponse list_webhooks(const ApiRequest& request, ApiServices& services);
ApiResponse get_webhook(const ApiRequest& request, ApiServices& services);
ApiResponse update_webhook(const ApiRequest& request, ApiServices& services);
ApiResponse delete_webhook(const ApiRequest& request, ApiServices& services);

}  // namespace tern::api
