// service_metrics.cpp - registration order is exposition order.
#include "store/util/service_metrics.hpp"

namespace tern::metrics {

ServiceMetrics::ServiceMetrics(Registry& r)
    : registry(r),
      http_requests(r.counter("tern_http_requests_total", "API requests by method, route pattern and status.",
                              {"method", "route", "status"})),
      http_duration(r.histogram("tern_http_request_duration_seconds", "API request handling time.",
                                default_seconds_buckets(), {"route"})),
      emails_accepted(r.counter("tern_emails_accepted_total", "Emails accepted by POST /emails and /emails/batch.")
                          .with({})),
      deliveries(r.counter("tern_deliveries_total",
                           "Recipient delivery results by outcome (delivered, deferred, bounced, failed) and "
                           "recipient domain.",
                           {"outcome", "domain"})),
      retries(r.counter("tern_delivery_retries_total", "Recipient delivery attempts after the first.").with({})),
      smtp_duration(r.histogram("tern_smtp_transaction_duration_seconds",
                                "One SMTP transaction, connect to QUIT, by result (ok, rejected, error).",
                                default_seconds_buckets(), {"result"})),
      end_to_end(r.histogram("tern_email_delivery_latency_seconds",
                             "From acceptance (or the scheduled time) to the delivered reply, per recipient.",
                             delivery_seconds_buckets())
                     .with({})),
      webhook_attempts(r.counter("tern_webhook_attempts_total",
                                 "Webhook requests by outcome (success, retry, give_up).", {"outcome"})),
      queue_depth(r.gauge("tern_queue_depth",
                          "Delivery queue entries by state (ready, in_flight, delayed), read from Redis when scraped.",
                          {"state"})) {}

}  // namespace tern::metrics
