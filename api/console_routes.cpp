// console_routes.cpp - serving the embedded console files.
#include "api/console_routes.hpp"

#include "store/util/embedded_file.hpp"

namespace tern {
const std::vector<EmbeddedFile>& console_files();  // generated: console_files.cpp
}

namespace tern::api {
namespace {

constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const char* content_type_of(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

ApiResponse console_file(std::string_view name) {
  if (name.empty()) name = "index.html";
  for (const auto& file : console_files()) {
    if (file.name != name) continue;
    ApiResponse response{200, std::string(file.content)};
    response.content_type = content_type_of(name);
    response.headers = {{"Content-Security-Policy", kPolicy},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Referrer-Policy", "no-referrer"},
                        {"Cache-Control", "no-cache"}};
    return response;
  }
  return error_response(not_found());
}

void add_console_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"GET", "/console", Access::none, [](const ApiRequest&, ApiServices&) { return console_file(""); }});
  routes.push_back(Route{"GET", "/console/:file", Access::none,
                         [](const ApiRequest& request, ApiServices&) { return console_file(request.params.at(0)); }});
}

}  // namespace tern::api
