// domains_routes.hpp - the /domains resource (resend-api.md §6), every
// route full access (a sending_access key gets 401 restricted_api_key).
//
//   POST   /domains             201 the domain with its records to publish
//                               and our own "dmarc" advice beside them.
//                               Body {name, region?, custom_return_path?,
//                               tls?, open_tracking?, click_tracking?} and our
//                               own dkim_ed25519?. Missing name -> 422
//                               missing_required_field; bad name or field ->
//                               422 validation_error; bad region -> 422
//                               invalid_region; name registered by anyone ->
//                               403 validation_error.
//   GET    /domains             {"object":"list","has_more","data"} newest
//                               first, no records; ?limit&after&before.
//   GET    /domains/:id         the domain with "object":"domain" and records.
//   PATCH  /domains/:id         {tls?, open_tracking?, click_tracking?} ->
//                               {"object":"domain","id"}.
//   DELETE /domains/:id         {"object":"domain","id","deleted":true}.
//   POST   /domains/:id/verify  checks every record over DNS now, stores each
//                               record's status and the domain's, schedules
//                               the background re-checks, and answers
//                               {"object":"domain","id"} plus our own
//                               "status", "records" and "dmarc".
// A non-UUID id is 422 invalid_parameter; an unknown id or another team's is
// 404 not_found. Redis or key-generation trouble is 500 (logged).
#pragma once

#include <vector>

#include "api/router.hpp"
#include "domains/domain_service.hpp"

namespace tern::api {

void add_domain_routes(std::vector<Route>& routes);

// domain_settings - the domain service's settings from ApiOptions.
domains::DomainSettings domain_settings(const ApiOptions& options);

// parse_create_domain - the POST /domains body as a request (types only;
// the service checks the values).
ApiResult<domains::CreateDomainRequest> parse_create_domain(std::string_view body);

ApiResponse create_domain(const ApiRequest& request, ApiServices& services);
ApiResponse list_domains(const ApiRequest& request, ApiServices& services);
ApiResponse get_domain(const ApiRequest& request, ApiServices& services);
ApiResponse update_domain(const ApiRequest& request, ApiServices& services);
ApiResponse delete_domain(const ApiRequest& request, ApiServices& services);
ApiResponse verify_domain(const ApiRequest& request, ApiServices& services);

}  // namespace tern::api
