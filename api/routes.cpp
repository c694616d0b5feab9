// routes.cpp - every resource's routes, in one place.
#include "api/routes.hpp"

#include "api/emails_routes.hpp"
#include "api/health_routes.hpp"

namespace tern::api {

std::vector<Route> make_routes() {
  std::vector<Route> routes;
  add_email_routes(routes);   // POST /emails, GET /emails/:id
  add_health_routes(routes);  // GET /healthz
  return routes;
}

}  // namespace tern::api
