// health_routes.cpp - liveness that includes the one backend the API needs.
#include "api/health_routes.hpp"

#include <nlohmann/json.hpp>

#include "store/util/log.hpp"

namespace tern::api {

void add_health_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"GET", "/healthz", Access::none, get_health});
}

ApiResponse get_health(const ApiRequest&, ApiServices& services) {
  auto pong = store::run(services.pool, {"PING"});
  if (pong && !pong->is_error()) return json_response(200, nlohmann::ordered_json{{"status", "ok"}});
  log::warn("health check: redis did not answer PING",
            {{"error", pong ? pong->str : pong.error().message}});
  return json_response(503, nlohmann::ordered_json{{"status", "unavailable"}});
}

}  // namespace tern::api
