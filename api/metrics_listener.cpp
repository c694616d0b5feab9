// metrics_listener.cpp - GET /metrics on its own httplib server and thread.
#include "api/metrics_listener.hpp"

#include <atomic>
#include <thread>

#include <httplib.h>

#include "api/metrics_routes.hpp"

namespace tern::api {

struct MetricsListener::Impl {
  Impl(metrics::ServiceMetrics& m, store::RedisPool& p) : metrics(m), pool(p) {}
  metrics::ServiceMetrics& metrics;
  store::RedisPool& pool;
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> finished{false};  // listen_after_bind returned
};

MetricsListener::MetricsListener(metrics::ServiceMetrics& metrics, store::RedisPool& pool)
    : impl_(std::make_unique<Impl>(metrics, pool)) {
  impl_->server.new_task_queue = [] { return new httplib::ThreadPool(2); };  // scrapes are rare
  impl_->server.set_read_timeout(10, 0);
  impl_->server.set_write_timeout(10, 0);
  impl_->server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_metrics(impl_->metrics, impl_->pool), metrics::kTextFormat);
  });
}

MetricsListener::~MetricsListener() { stop(); }

Result<uint16_t> MetricsListener::start(const std::string& host, uint16_t port) {
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return fail(Errc::unavailable, "cannot listen on " + host + ":" + std::to_string(port));
  impl_->thread = std::thread([this] {
    impl_->server.listen_after_bind();
    impl_->finished = true;
  });
  return static_cast<uint16_t>(bound);
}

void MetricsListener::stop() {
  if (!impl_->thread.joinable()) return;
  // httplib's stop() is a no-op until listen has started; wait that out.
  while (!impl_->server.is_running() && !impl_->finished) std::this_thread::yield();
  impl_->server.stop();
  impl_->thread.join();
}

}  // namespace tern::api
