// httplib_bare.cpp - the accept benchmark's yardstick: a cpp-httplib server
// with no backend that answers every POST /emails with a fixed
// {"id": "..."} body, tuned the way peer-figures.md measured it
// (TCP_NODELAY, a 64-thread task queue, a high keep-alive count).
//
// usage: httplib_bare HOST PORT
// Listens until SIGTERM/SIGINT. Prints nothing on success; exits 1 when it
// cannot bind. Built by bench/run.sh with g++ and `pkg-config cpp-httplib`
// (Debian's split build: the code lives in libcpp-httplib.so).
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <httplib.h>

namespace {

constexpr std::size_t kThreads = 64;
constexpr std::size_t kKeepAliveMaxCount = 10000;
constexpr const char* kBody = R"({"id":"4ef9a417-02e9-4d39-ad75-9611e0fcc33c"})";

// stop_on_signal - SIGTERM/SIGINT are blocked in every thread and taken by
// one waiting thread, so stop() never runs inside a signal handler.
std::thread stop_on_signal(httplib::Server& server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([&server, set] {
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
    return 2;
  }
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(kKeepAliveMaxCount);
  server.Post("/emails", [](const httplib::Request& req, httplib::Response& res) {
    if (req.body.empty() || !req.has_header("Authorization")) {
      res.status = 422;
      return;
    }
    res.set_content(kBody, "application/json");
  });
  std::thread stopper = stop_on_signal(server);
  stopper.detach();
  if (!server.listen(argv[1], std::atoi(argv[2]))) {
    std::fprintf(stderr, "httplib_bare: cannot listen on %s:%s\n", argv[1], argv[2]);
    return 1;
  }
  return 0;
}
