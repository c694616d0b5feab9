// service_metrics.hpp - the metrics Tern exports, named once for the API,
// the worker and the composition root. One ServiceMetrics per process, built
// on that process's Registry in main and passed down (never global).
//
// Every name is prefixed tern_; durations are in seconds (Prometheus
// convention). Labels kept bounded: `route` is the route pattern
// ("/emails/:id", or "unmatched"), `domain` a recipient domain capped by the
// registry's max_series, `outcome` and `result` small fixed sets.
#pragma once

#include "store/util/metrics.hpp"

namespace tern::metrics {

struct ServiceMetrics {
  explicit ServiceMetrics(Registry& registry);

  Registry& registry;
  // API
  Family<Counter>& http_requests;       // tern_http_requests_total{method,route,status}
  Family<Histogram>& http_duration;     // tern_http_request_duration_seconds{route}
  Counter& emails_accepted;             // tern_emails_accepted_total
  // Delivery (per recipient attempt)
  Family<Counter>& deliveries;          // tern_deliveries_total{outcome,domain}: delivered|deferred|bounced|failed
  Counter& retries;                     // tern_delivery_retries_total: recipient attempts after the first
  Family<Histogram>& smtp_duration;     // tern_smtp_transaction_duration_seconds{result}: ok|rejected|error
  Histogram& end_to_end;                // tern_email_delivery_latency_seconds: accepted (or scheduled) -> delivered
  // Webhooks
  Family<Counter>& webhook_attempts;    // tern_webhook_attempts_total{outcome}: success|retry|give_up
  // Queue, read from Redis at scrape time
  Family<Gauge>& queue_depth;           // tern_queue_depth{state}: ready|in_flight|delayed
};

}  // namespace tern::metrics
