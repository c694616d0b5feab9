// metrics_listener.hpp - a second, tiny HTTP listener serving only
// GET /metrics (TERN_METRICS_ADDR). A `tern worker` has no API port, so
// this is how Prometheus scrapes it; in `tern api`/`tern serve` it moves
// /metrics off the public API port. Anything else answers 404.
//
// Usage: start() binds (port 0 = any free port) and serves on its own
// thread; stop() (or the destructor) ends it. httplib stays in the .cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/redis/redis_connection.hpp"
#include "store/util/result.hpp"
#include "store/util/service_metrics.hpp"

namespace tern::api {

class MetricsListener {
 public:
  MetricsListener(metrics::ServiceMetrics& metrics, store::RedisPool& pool);
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  Result<uint16_t> start(const std::string& host, uint16_t port);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::api
