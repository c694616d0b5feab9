#include "cli/runtime.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "api/http_server.hpp"
#include "cli/sender_policy.hpp"
#include "dnscheck/resolver.hpp"
#include "mailer/smtp/client.hpp"
#include "store/redis/durability_check.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/encoding.hpp"
#include "store/util/log.hpp"
#include "worker/consumer.hpp"

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

  SystemClock clock;
  api::AllowAllSenders allow_all;
  VerifiedDomainsOnly verified_only;
  api::SenderPolicy& senders = config.dev ? static_cast<api::SenderPolicy&>(allow_all) : verified_only;

  std::unique_ptr<api::HttpServer> server;
  std::thread server_thread;
  if (roles.api) {
    api::ApiOptions options;
    options.hostname = config.delivery.hostname;
    options.dev = config.dev;
    options.threads = config.http_threads;
    server = std::make_unique<api::HttpServer>(pool, clock, senders, options);
    auto port = server->bind(config.http.host, config.http.port);
    if (!port) {
      std::fprintf(stderr, "tern: TERN_HTTP_ADDR %s:%u: %s\n", config.http.host.c_str(), config.http.port,
                   port.error().message.c_str());
      return 1;
    }
    log::info("api listening", {{"addr", config.http.host + ":" + std::to_string(*port)}});
    server_thread = std::thread([&] { server->run(); });
  }

  std::unique_ptr<dns::Resolver> resolver;
  std::unique_ptr<worker::Consumer> consumer;
  if (roles.worker) {
    resolver = dns::make_cares_resolver(dns::ResolverOptions{config.dns_servers, std::chrono::seconds(5), 2});
    consumer = std::make_unique<worker::Consumer>(pool, *resolver, clock, config.delivery, consumer_name(config),
                                                  &smtp::send_transaction);
    consumer->start();
  }

  int signo = 0;
  sigwait(&stop_signals, &signo);
  log::info("stopping", {{"signal", std::to_string(signo)}});
  if (server) server->stop();
  if (server_thread.joinable()) server_thread.join();
  if (consumer) consumer->stop();
  log::info("stopped");
  return 0;
}

}  // namespace tern::cli
