// routes.cpp - every resource's routes, in one place.
#include "api/routes.hpp"

#include "api/api_keys_routes.hpp"
#include "api/console_routes.hpp"
#include "api/domains_routes.hpp"
#include "api/email_events_routes.hpp"
#include "api/emails_routes.hpp"
#include "api/health_routes.hpp"
#include "api/metrics_routes.hpp"
#include "api/suppressions_routes.hpp"
#include "api/webhooks_routes.hpp"

namespace tern::api {

std::vector<Route> make_routes(const ApiOptions& options) {
  std::vector<Route> routes;
  add_email_routes(routes);   // /emails, /emails/batch, /emails/:id, /emails/:id/cancel
  add_email_event_routes(routes);  // GET /emails/:id/events (Tern's own: the console's timeline)
  add_health_routes(routes);  // GET /healthz
  add_domain_routes(routes);  // /domains, /domains/:id, /domains/:id/verify
  add_api_key_routes(routes);  // /api-keys, /api-keys/:id
  add_webhook_routes(routes);  // /webhooks, /webhooks/:id
  add_suppression_routes(routes);  // /suppressions, /suppressions/:id_or_email, /suppressions/batch/*
  if (options.metrics_route) add_metrics_routes(routes);  // GET /metrics (Prometheus text, no auth)
  if (options.console) add_console_routes(routes);        // GET /console, /console/app.js, /console/app.css
  return routes;
}

}  // namespace tern::api
