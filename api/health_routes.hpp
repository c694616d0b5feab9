// health_routes.hpp - GET /healthz, Tern's own path (no Resend twin), no auth.
// 200 {"status":"ok"} when Redis answers PING, else 503 {"status":"unavailable"}.
#pragma once

#include <vector>

#include "api/router.hpp"

namespace tern::api {

void add_health_routes(std::vector<Route>& routes);

ApiResponse get_health(const ApiRequest& request, ApiServices& services);

}  // namespace tern::api
