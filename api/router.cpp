// router.cpp - segment matching and the authenticate-then-handle sequence.
#include "api/router.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "api/rate_limit.hpp"

namespace tern::api {
namespace {

// match_segments - does the path fit the pattern? Collects :name values.
bool match_segments(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& path,
                    std::vector<std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::vector<std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].empty() && pattern[i].front() == ':') {
      found.emplace_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

bool is_blank_body(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string lowercase_media_type(std::string_view value) {
  const std::size_t end = value.find(';');
  std::string_view type = value.substr(0, end);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string out(type);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

ApiResult<void> check_body_content_type(const ApiRequest& request) {
  if (request.method == "GET" || request.method == "HEAD" || request.method == "DELETE") return {};
  if (is_blank_body(request.body)) return {};
  auto declared = request_header(request, "content-type");
  if (!declared) return {};
  const std::string type = lowercase_media_type(*declared);
  constexpr std::string_view kJsonSuffix = "+json";
  const bool json = type == "application/json" ||
                    (type.size() > kJsonSuffix.size() && type.ends_with(kJsonSuffix) && type.starts_with("application/"));
  if (json) return {};
  return reject(validation_error("The request body must be JSON sent with `Content-Type: application/json`, not `" +
                                     type + "`.",
                                 415));
}

ApiResponse json_response(int status, const nlohmann::ordered_json& body) {
  // replace: stored text is valid UTF-8, but a bad byte must not throw here.
  return ApiResponse{status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

ApiResponse error_response(const ApiError& error) { return ApiResponse{error.status, to_body(error)}; }

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

ApiResult<RouteMatch> match_route(const std::vector<Route>& routes, std::string_view method, std::string_view path) {
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const auto segments = split_path(path);
  bool path_known = false;
  for (const auto& route : routes) {
    std::vector<std::string> params;
    if (!match_segments(split_path(route.pattern), segments, params)) continue;
    path_known = true;
    if (route.method == wanted) return RouteMatch{&route, std::move(params)};
  }
  if (path_known) return reject(method_not_allowed());
  return reject(not_found());
}

std::optional<std::string> request_header(const ApiRequest& request, const std::string& lower_name) {
  auto it = request.headers.find(lower_name);
  if (it == request.headers.end()) return std::nullopt;
  return it->second;
}

ApiResponse dispatch(const std::vector<Route>& routes, ApiRequest request, ApiServices& services) {
  auto match = match_route(routes, request.method, request.path);
  if (!match) return error_response(match.error());
  const Route& route = *match->route;
  request.params = std::move(match->params);
  if (route.access == Access::none) {
    if (auto typed = check_body_content_type(request); !typed) return error_response(typed.error());
    return route.handler(request, services);
  }

  store::ApiKeyStore keys(services.pool);
  std::optional<std::string_view> authorization;
  if (request.authorization) authorization = *request.authorization;
  auto context = authenticate(keys, authorization);
  if (!context) return error_response(context.error());
  const RateLimitOutcome limit = apply_rate_limit(services, context->team);
  ApiResponse response;
  if (limit.refusal) {
    response = *limit.refusal;
  } else if (auto allowed = check_access(*context, route.access); !allowed) {
    response = error_response(allowed.error());
  } else if (auto typed = check_body_content_type(request); !typed) {
    response = error_response(typed.error());  // after auth: a stranger learns nothing from it
  } else {
    request.context = std::move(*context);
    response = route.handler(request, services);
  }
  response.headers.insert(response.headers.end(), limit.headers.begin(), limit.headers.end());
  return response;
}

}  // namespace tern::api
