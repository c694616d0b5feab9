#include "cli/runtime.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <thread>

#include <atomic>

#include "api/http_server.hpp"
#include "api/metrics_listener.hpp"
#include "domains/domain_service.hpp"
#include "store/redis/domain_store.hpp"
#include "worker/bounce_listener.hpp"
#include "worker/bounce_recorder.hpp"
#include "worker/domain_rechecker.hpp"
#include "worker/sender_identity.hpp"
#include "api/verified_senders.hpp"
#include "dnscheck/resolver.hpp"
#include "mailer/smtp/client.hpp"
#include "mailer/smtp/connection_cache.hpp"
#include "store/redis/durability_check.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/encoding.hpp"
#include "store/util/log.hpp"
#include "store/util/service_metrics.hpp"
#include "submission/server.hpp"
#include "worker/consumer.hpp"
#include "worker/delivery_metrics.hpp"
#include "worker/webhook_dispatcher.hpp"

namespace tern::cli {
namespace {

std::string consumer_name(const Config& config) {
  return config.delivery.hostname + "-" + std::to_string(getpid()) + "-" + hex_encode(random_bytes(3));
}

// wait_for_signal - block SIGINT/SIGTERM in every thread (call before any
// thread starts) and return the sigset to sigwait on.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

bool check_redis(store::RedisPool& pool) {
  auto checked = store::check_durability(pool);
  if (!checked) {
    std::fprintf(stderr, "tern: %s\n", checked.error().message.c_str());
    return false;
  }
  for (const auto& w : *checked) log::warn(w);
  return true;
}

}  // namespace

int run_roles(const Config& config, Roles roles) {
  sigset_t stop_signals = block_stop_signals();
  store::RedisPool pool(config.redis);
  if (!check_redis(pool)) return 1;
  if (config.dev) log::warn("dev mode: any from-domain may send; never use TERN_DEV in production");
  if (!config.dev && config.master_key.empty()) {
    std::fprintf(stderr,
                 "tern: TERN_MASTER_KEY is not set: it encrypts DKIM private keys at rest and is required outside "
                 "dev mode (generate one with: openssl rand -base64 32)\n");
    return 2;
  }

  SystemClock clock;
  // One metric set per process, shared by every role it runs (metrics.hpp).
  metrics::Registry registry;
  metrics::ServiceMetrics service_metrics(registry);
  std::unique_ptr<api::MetricsListener> metrics_listener;
  if (config.metrics_listen) {
    metrics_listener = std::make_unique<api::MetricsListener>(service_metrics, pool);
    auto port = metrics_listener->start(config.metrics_listen->host, config.metrics_listen->port);
    if (!port) {
      std::fprintf(stderr, "tern: TERN_METRICS_ADDR %s:%u: %s\n", config.metrics_listen->host.c_str(),
                   config.metrics_listen->port, port.error().message.c_str());
      return 1;
    }
    log::info("metrics listening", {{"addr", config.metrics_listen->host + ":" + std::to_string(*port)}});
  }
  api::AllowAllSenders allow_all;
  api::VerifiedSenders verified_only(pool);
  api::SenderPolicy& senders = config.dev ? static_cast<api::SenderPolicy&>(allow_all) : verified_only;
  // One resolver for the API (domain verification) and the worker (MX).
  std::unique_ptr<dns::Resolver> resolver =
      dns::make_cares_resolver(dns::ResolverOptions{config.dns_servers, std::chrono::seconds(5), 2});

  // SMTP submission: in the API's processes, with the API's rules; up
  // before the API answers /healthz.
  std::unique_ptr<submission::StoreGateway> submission_gateway;
  std::unique_ptr<submission::SubmissionServer> submission_server;
  if (roles.api && config.submission.enabled()) {
    submission_gateway =
        std::make_unique<submission::StoreGateway>(pool, clock, senders, config.delivery.hostname, &service_metrics);
    submission_server = std::make_unique<submission::SubmissionServer>(
        *submission_gateway, clock, submission::session_options(config.submission, config.delivery.hostname));
    auto ports = submission_server->start(config.submission);
    if (!ports) {
      std::fprintf(stderr, "tern: SMTP submission: %s\n", ports.error().message.c_str());
      return 1;
    }
  }

  std::unique_ptr<api::HttpServer> server;
  std::thread server_thread;
  if (roles.api) {
    api::ApiOptions options;
    options.hostname = config.delivery.hostname;
    options.dev = config.dev;
    options.threads = config.http_threads;
    options.rate_limit = config.rate_limit;
    options.master_key = config.master_key;
    options.dkim_selector = config.dkim_selector;
    options.spf_mechanism = config.spf_mechanism;
    options.feedback_host = config.feedback_host;
    options.webhook_allow_private = config.webhook_allow_private;
    options.metrics_route = !config.metrics_listen;
    server = std::make_unique<api::HttpServer>(pool, clock, senders, options, resolver.get(), &service_metrics);
    auto port = server->bind(config.http.host, config.http.port);
    if (!port) {
      std::fprintf(stderr, "tern: TERN_HTTP_ADDR %s:%u: %s\n", config.http.host.c_str(), config.http.port,
                   port.error().message.c_str());
      return 1;
    }
    log::info("api listening", {{"addr", config.http.host + ":" + std::to_string(*port)}});
    server_thread = std::thread([&] { server->run(); });
  }


  std::unique_ptr<worker::Consumer> consumer;
  std::unique_ptr<store::RedisPool> webhook_pool;
  std::unique_ptr<worker::WebhookDispatcher> webhooks;
  store::DomainStore domain_store(pool);
  worker::DomainSenderIdentities sender_identities(domain_store, config.master_key);
  std::unique_ptr<worker::BounceRecorder> bounce_recorder;
  std::unique_ptr<worker::BounceListener> bounce_listener;
  std::atomic<bool> stopping{false};
  std::thread rechecker_thread;
  if (roles.worker) {
    if (config.bounce_listen) {
      bounce_recorder = std::make_unique<worker::BounceRecorder>(pool, clock);
      worker::BounceListenerOptions options;
      options.hostname = config.delivery.hostname;
      bounce_listener = std::make_unique<worker::BounceListener>(*bounce_recorder, options);
      auto port = bounce_listener->start(config.bounce_listen->host, config.bounce_listen->port);
      if (!port) {
        std::fprintf(stderr, "tern: TERN_BOUNCE_ADDR %s:%u: %s\n", config.bounce_listen->host.c_str(),
                     config.bounce_listen->port, port.error().message.c_str());
        return 1;
      }
      log::info("bounce listener up", {{"addr", config.bounce_listen->host + ":" + std::to_string(*port)}});
    }
    consumer = std::make_unique<worker::Consumer>(pool, *resolver, clock, config.delivery, consumer_name(config),
                                                  worker::timed_send(&smtp::send_reusing, service_metrics),
                                                  &sender_identities);
    consumer->set_metrics(&service_metrics);
    consumer->start();
    // Pending domains are verified again in the background (backing off, 72 h).
    rechecker_thread = std::thread([&] {
      worker::DomainRechecker rechecker(pool, *resolver,
                                        domains::settings_from_config(config));
      while (!stopping.load()) {
        rechecker.tick(clock.now());
        for (int i = 0; i < 150 && !stopping.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
    // Webhooks on their own threads and Redis connections: a slow endpoint
    // never holds up mail delivery.
    webhook_pool = std::make_unique<store::RedisPool>(config.redis);
    worker::WebhookConfig webhook_config;
    webhook_config.allow_private = config.webhook_allow_private;
    webhook_config.sender.ca_file = config.delivery.ca_file;
    webhook_config.metrics = &service_metrics;
    webhooks = std::make_unique<worker::WebhookDispatcher>(*webhook_pool, *resolver, clock, webhook_config,
                                                           consumer_name(config));
    webhooks->start();
  }

  int signo = 0;
  sigwait(&stop_signals, &signo);
  log::info("stopping", {{"signal", std::to_string(signo)}});
  if (submission_server) submission_server->stop();
  if (server) server->stop();
  if (server_thread.joinable()) server_thread.join();
  stopping.store(true);
  if (rechecker_thread.joinable()) rechecker_thread.join();
  if (bounce_listener) bounce_listener->stop();
  if (consumer) consumer->stop();
  if (webhooks) webhooks->stop();
  if (metrics_listener) metrics_listener->stop();
  log::info("stopped");
  return 0;
}

}  // namespace tern::cli
