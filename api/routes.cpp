// routes.cpp - every resource's routes, in one place.
#include "api/routes.hpp"

#include "api/api_keys_routes.hpp"
#include "api/domains_routes.hpp"
#include "api/emails_routes.hpp"
#include "api/health_routes.hpp"
#include "api/suppressions_routes.hpp"
#include "api/webhooks_routes.hpp"

namespace tern::api {

std::vector<Route> make_routes() {
  std::vector<Route> routes;
  add_email_routes(routes);   // /emails, /emails/batch, /emails/:id, /emails/:id/cancel
  add_health_routes(routes);  // GET /healthz
  add_domain_routes(routes);  // /domains, /domains/:id, /domains/:id/verify
  add_api_key_routes(routes);  // /api-keys, /api-keys/:id
  add_webhook_routes(routes);  // /webhooks, /webhooks/:id
  add_suppression_routes(routes);  // /suppressions, /suppressions/:id_or_email, /suppressions/batch/*
  return routes;
}

}  // namespace tern::api
