// metrics_routes.hpp - GET /metrics, Tern's own path (no Resend twin), no
// auth, as Prometheus scrapes: the process's metrics in text format 0.0.4,
// with the queue depth read from Redis at scrape time. Keep it off the
// public internet: block /metrics at the TLS proxy, or move it to its own
// listener with TERN_METRICS_ADDR (which removes it from the API port).
#pragma once

#include <string>
#include <vector>

#include "api/router.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/service_metrics.hpp"

namespace tern::api {

void add_metrics_routes(std::vector<Route>& routes);

ApiResponse get_metrics(const ApiRequest& request, ApiServices& services);

// render_metrics - refresh the queue gauges from Redis (a failure leaves
// them as they were and is logged), then render every family.
std::string render_metrics(metrics::ServiceMetrics& metrics, store::RedisPool& pool);

}  // namespace tern::api
