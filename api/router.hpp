// router.hpp - the API's routing, independent of the HTTP library.
//
// A Route is (method, pattern, access, handler); patterns are segment lists
// like "/emails/:id". Matching ignores empty segments, so "//emails" and
// "/emails/" reach "/emails" (the Node SDK with a trailing-slash base URL
// sends "//emails"). A path no route knows is 404 not_found; a known path
// with another method is 405 method_not_allowed; HEAD is served as GET.
// dispatch() authenticates before calling the handler (Access::none skips
// it), so handlers receive a RequestContext they can trust.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/auth.hpp"
#include "api/errors.hpp"
#include "api/services.hpp"

namespace tern::api {

struct ApiRequest {
  std::string method;                       // "GET", "POST", ...
  std::string path;                         // decoded, without the query
  std::string body;
  std::map<std::string, std::string> query;  // decoded query parameters (?limit=10&after=...)
  std::optional<std::string> authorization;  // the Authorization header, if sent
  std::vector<std::string> params;          // values of the pattern's :name segments, in order
  RequestContext context;                   // set by dispatch() after authentication
  std::map<std::string, std::string> headers;  // other request headers, names lower-cased
};

// request_header - a header by its lower-case name, if sent.
std::optional<std::string> request_header(const ApiRequest& request, const std::string& lower_name);

// check_body_content_type - a request that carries a body must declare it
// as JSON (`application/json`, any `+json` type, parameters such as
// charset allowed) or declare nothing. A form or text body is refused with
// 415 validation_error before anything reads it: silently parsing
// `curl -d` form data as JSON would hide the client's mistake.
ApiResult<void> check_body_content_type(const ApiRequest& request);

// ApiResponse - a JSON body unless content_type says otherwise (only
// /metrics and the console's static files do).
struct ApiResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};  // extra headers (ratelimit-*, retry-after)
  std::string content_type = "application/json";
};

ApiResponse json_response(int status, const nlohmann::ordered_json& body);
ApiResponse error_response(const ApiError& error);

using RouteHandler = std::function<ApiResponse(const ApiRequest&, ApiServices&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::full;
  RouteHandler handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::string> params;
};

// split_path - non-empty segments: "//emails/x/" -> {"emails", "x"}.
std::vector<std::string_view> split_path(std::string_view path);

// match_route - the route for method + path, or not_found / method_not_allowed.
ApiResult<RouteMatch> match_route(const std::vector<Route>& routes, std::string_view method, std::string_view path);

// dispatch - match, authenticate, apply the team's rate limit
// (rate_limit.hpp: 429 past it, ratelimit-* headers on every answer to an
// authenticated request), check access, run the handler.
ApiResponse dispatch(const std::vector<Route>& routes, ApiRequest request, ApiServices& services);

}  // namespace tern::api
