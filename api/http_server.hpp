// http_server.hpp - the Resend-compatible HTTP API on cpp-httplib.
//
// Promises: every response, including 404 for unknown paths, 405, 413 for
// an oversized body, 400 for an unparsable request and 500 for a handler
// that threw, has a JSON body and Content-Type application/json; errors use
// Resend's {statusCode,name,message}. Slow clients are cut off by 10 s
// read/write timeouts; bodies over ApiOptions::max_body_bytes are refused.
//
// Usage: bind() (port 0 picks a free port), then run() on a thread of your
// choice (it blocks); stop() from any thread makes run() return. Join the
// run() thread before destroying the server. httplib stays in the .cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/services.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/clock.hpp"
#include "store/util/result.hpp"
#include "store/util/service_metrics.hpp"

namespace tern::api {

class HttpServer {
 public:
  // resolver (optional, not owned) answers POST /domains/{id}/verify.
  // metrics (optional, not owned) is the process's set, shared with the
  // worker in `tern serve`; without it the server keeps its own.
  HttpServer(store::RedisPool& pool, const Clock& clock, SenderPolicy& senders, ApiOptions options,
             dns::Resolver* resolver = nullptr, metrics::ServiceMetrics* metrics = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // bind - listen on host:port (0 = any free port); the port bound.
  Result<uint16_t> bind(const std::string& host, uint16_t port);

  // run - serve until stop(); returns at once if bind() did not succeed.
  void run();

  // stop - make run() return; safe before, during or after run().
  void stop();

  // is_running - run() is accepting connections (tests poll this).
  bool is_running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::api
