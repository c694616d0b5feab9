// http_server.cpp - the only file that includes httplib.h.
//
// httplib's own router is bypassed: one catch-all handler per method turns
// the request into an ApiRequest and hands it to dispatch() (router.hpp),
// so 404/405, "//" tolerance and authentication live in our code. httplib
// still reads the body first (a pre-routing handler would run before it),
// and its error handler fills in a JSON body for responses it makes itself
// (400, 413, 414, unknown methods).
#include "api/http_server.hpp"

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cctype>
#include <map>
#include <exception>
#include <thread>

#include <httplib.h>

#include "api/errors.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "store/util/log.hpp"

namespace tern::api {
namespace {

constexpr const char* kJson = "application/json";
constexpr std::size_t kKeepAliveMaxCount = 10000;  // per connection; see peer-figures.md
constexpr time_t kReadTimeoutSeconds = 10;          // slowloris: a stalled client is dropped
constexpr time_t kWriteTimeoutSeconds = 10;

std::optional<std::string> header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

void write(httplib::Response& res, const ApiResponse& response) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name.c_str(), value);
  res.set_content(response.body, response.content_type.c_str());
}

// route_label - the route pattern a request matched, for metrics: bounded,
// unlike the raw path.
std::string route_label(const std::vector<Route>& routes, const std::string& method, const std::string& path) {
  auto match = match_route(routes, method, path);
  return match ? match->route->pattern : "unmatched";
}

// other_headers - the request headers handlers may read, names lower-cased
// (the first of a repeated name wins).
std::map<std::string, std::string> other_headers(const httplib::Request& req) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : req.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "authorization") continue;  // kept apart, never logged
    out.emplace(std::move(lower), value);
  }
  return out;
}

// error_for_status - the JSON body for a response httplib made on its own.
ApiError error_for_status(int status) {
  switch (status) {
    case 400: return validation_error("The request could not be parsed as HTTP.", 400);
    case 404: return not_found();
    case 405: return method_not_allowed();
    case 413: return validation_error("The request body is too large.", 413);
    case 414: return validation_error("The request URI is too long.", 414);
    default:
      if (status >= 500) return ApiError{status, "application_error", "An unexpected error occurred."};
      return validation_error("The request was refused.", status);
  }
}

std::string describe(std::exception_ptr ep) {
  try {
    if (ep) std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "non-standard exception";
  }
  return "unknown";
}

}  // namespace

struct HttpServer::Impl {
  Impl(store::RedisPool& pool, const Clock& clock, SenderPolicy& senders, ApiOptions opts, dns::Resolver* resolver,
       metrics::ServiceMetrics* shared_metrics)
      : options(std::move(opts)),
        own_metrics(shared_metrics ? nullptr : std::make_unique<metrics::ServiceMetrics>(own_registry)),
        services{pool, clock, senders, options, resolver, shared_metrics ? shared_metrics : own_metrics.get()},
        routes(make_routes(options)) {}

  void configure();
  void handle(const httplib::Request& req, httplib::Response& res);
  void count(const httplib::Request& req, int status, std::chrono::steady_clock::duration took);

  ApiOptions options;
  metrics::Registry own_registry;
  std::unique_ptr<metrics::ServiceMetrics> own_metrics;
  ApiServices services;
  std::vector<Route> routes;
  httplib::Server server;
  bool bound = false;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> in_run{false};
  std::atomic<int> listen_socket{-1};  // seen by the socket-options callback
};

void HttpServer::Impl::handle(const httplib::Request& req, httplib::Response& res) {
  ApiRequest request;
  request.method = req.method;
  request.path = req.path;
  request.body = req.body;
  request.authorization = header(req, "Authorization");
  request.headers = other_headers(req);
  for (const auto& [name, value] : req.params) request.query.emplace(name, value);  // the first of a name wins
  const auto started = std::chrono::steady_clock::now();
  try {
    write(res, dispatch(routes, std::move(request), services));
  } catch (...) {
    // One place turns any escaped exception into a Resend 500 (STYLE §4.5).
    log::error("request handler threw", {{"method", req.method}, {"path", req.path},
                                         {"error", describe(std::current_exception())}});
    write(res, error_response(application_error()));
  }
  count(req, res.status, std::chrono::steady_clock::now() - started);
}

void HttpServer::Impl::count(const httplib::Request& req, int status, std::chrono::steady_clock::duration took) {
  const std::string route = route_label(routes, req.method, req.path);
  services.metrics->http_requests.with({req.method, route, std::to_string(status)}).inc();
  services.metrics->http_duration.with({route}).observe(std::chrono::duration<double>(took).count());
}

void HttpServer::Impl::configure() {
  const int threads = options.threads > 0 ? options.threads : 1;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_tcp_nodelay(true);  // head and body go out in two send()s; no 40 ms delayed-ACK stall
  server.set_keep_alive_max_count(kKeepAliveMaxCount);
  server.set_read_timeout(kReadTimeoutSeconds, 0);
  server.set_write_timeout(kWriteTimeoutSeconds, 0);
  server.set_payload_max_length(options.max_body_bytes);
  // httplib 0.11 listens with a backlog of 5: under a burst of new
  // connections the kernel drops SYNs and clients wait a second for the
  // retransmit. Remember the socket so bind() can listen again with SOMAXCONN.
  server.set_socket_options([this](int sock) {
    httplib::default_socket_options(sock);
    listen_socket = sock;
  });

  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  const std::string any = ".*";
  server.Get(any, handler);
  server.Post(any, handler);
  server.Put(any, handler);
  server.Patch(any, handler);
  server.Delete(any, handler);
  server.Options(any, handler);

  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours, already JSON
        res.set_content(to_body(error_for_status(res.status)), kJson);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    log::error("http exception", {{"method", req.method}, {"path", req.path}, {"error", describe(ep)}});
    res.status = 500;
    res.set_content(to_body(application_error()), kJson);
  });
}

HttpServer::HttpServer(store::RedisPool& pool, const Clock& clock, SenderPolicy& senders, ApiOptions options,
                       dns::Resolver* resolver, metrics::ServiceMetrics* metrics)
    : impl_(std::make_unique<Impl>(pool, clock, senders, std::move(options), resolver, metrics)) {
  impl_->configure();
}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::bind(const std::string& host, uint16_t port) {
  int bound_port = port;
  if (port == 0) {
    bound_port = impl_->server.bind_to_any_port(host);
  } else if (!impl_->server.bind_to_port(host, port)) {
    bound_port = -1;
  }
  if (bound_port <= 0)
    return fail(Errc::unavailable, "cannot listen on " + host + ":" + std::to_string(port));
  // listen() again on a listening socket only changes its backlog (Linux).
  if (int sock = impl_->listen_socket.load(); sock >= 0 && ::listen(sock, SOMAXCONN) != 0)
    log::warn("cannot raise the listen backlog", {{"error", std::strerror(errno)}});
  impl_->bound = true;
  return static_cast<uint16_t>(bound_port);
}

void HttpServer::run() {
  if (!impl_->bound) return;
  impl_->in_run = true;
  if (!impl_->stop_requested) impl_->server.listen_after_bind();
  impl_->in_run = false;
}

void HttpServer::stop() {
  impl_->stop_requested = true;
  // httplib's stop() is a no-op until listen has started; wait out that
  // short window so a stop() racing run() is never lost.
  while (impl_->in_run && !impl_->server.is_running()) std::this_thread::yield();
  impl_->server.stop();
}

bool HttpServer::is_running() const { return impl_->server.is_running(); }

}  // namespace tern::api
