// metrics_routes.cpp - the scrape: three Redis reads, then the registry.
#include "api/metrics_routes.hpp"

#include "store/redis/queue.hpp"
#include "store/util/log.hpp"

namespace tern::api {

void add_metrics_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"GET", "/metrics", Access::none, get_metrics});
}

std::string render_metrics(metrics::ServiceMetrics& m, store::RedisPool& pool) {
  // XLEN, XPENDING and ZCARD in one round trip; the consumer name is unused.
  auto depth = store::Queue(pool, "metrics").depth();
  if (depth) {
    m.queue_depth.with({"ready"}).set(double(depth->ready));
    m.queue_depth.with({"in_flight"}).set(double(depth->pending));
    m.queue_depth.with({"delayed"}).set(double(depth->delayed));
  } else {
    log::warn("metrics: cannot read the queue depth", {{"error", depth.error().message}});
  }
  return m.registry.render();
}

ApiResponse get_metrics(const ApiRequest&, ApiServices& services) {
  ApiResponse response{200, render_metrics(*services.metrics, services.pool)};
  response.content_type = metrics::kTextFormat;
  return response;
}

}  // namespace tern::api
