// suppressions_routes.hpp - the /suppressions resource (resend-api.md §9),
// every route full access (a sending_access key gets 401
// restricted_api_key). The list is team-wide; another team's entries are
// never seen (404).
//
//   POST   /suppressions               {"email"} -> 201 {"object":"suppression","id"}
//                                      (origin manual; an address listed
//                                      already answers its existing id).
//   GET    /suppressions               ?origin=bounce|complaint|manual,
//                                      ?limit (1-100, default 20), ?after|?before
//                                      -> {"object":"list","has_more","data":[
//                                      {id,email,origin,source_id,created_at}]}
//                                      newest first.
//   GET    /suppressions/:id_or_email  a UUID or an address (the SDKs send it
//                                      encodeURIComponent'ed: %40) ->
//                                      {"object":"suppression",id,email,origin,
//                                      source_id,created_at}.
//   DELETE /suppressions/:id_or_email  {"object":"suppression","id","deleted":true}.
//   POST   /suppressions/batch/add     {"emails":[<=100]} -> 201
//                                      {"data":[{"object","id"}]} in input order.
//   POST   /suppressions/batch/remove  {"emails":[...]} or {"ids":[...]} (not
//                                      both, <=100) -> {"data":[{"object","id",
//                                      "deleted":true}]} for the entries removed.
// Errors: missing field -> 422 missing_required_field; wrong type, bad
// address, bad origin, empty or oversized batch, both emails and ids -> 422
// validation_error; a path that is neither a UUID nor an address -> 422
// invalid_parameter; unknown -> 404 not_found; Redis trouble -> 500.
#pragma once

#include <string>
#include <vector>

#include "api/router.hpp"

namespace tern::api {

void add_suppression_routes(std::vector<Route>& routes);

// parse_suppression_emails - the "emails" array of a batch body: 1..100
// valid addresses (pure; exposed for tests).
ApiResult<std::vector<std::string>> parse_suppression_emails(const nlohmann::ordered_json& body);

}  // namespace tern::api
