// console_routes.hpp - the web console: GET /console (index.html) and
// GET /console/{file} for its script and style, compiled into the binary
// from api/console/. No auth on the files themselves: the page asks for an
// API key and calls the ordinary API with it, same origin. Served with a
// strict Content-Security-Policy (only our own script, style and API), no
// caching and no referrer, since the page holds an API key.
#pragma once

#include <vector>

#include "api/router.hpp"

namespace tern::api {

void add_console_routes(std::vector<Route>& routes);

// console_file - the response for one console file name ("" = index.html);
// 404 not_found for names not embedded.
ApiResponse console_file(std::string_view name);

}  // namespace tern::api
