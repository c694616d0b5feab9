// enqueue.cpp - posts exactly COUNT copies of one JSON email to Tern's
// POST /emails over CONNECTIONS keep-alive connections, as fast as the
// server takes them (the delivery benchmark's "fill the queue" step).
//
// usage: enqueue HOST PORT API_KEY BODY_FILE COUNT CONNECTIONS
// Prints one line: "accepted=A failed=F seconds=S first_error=..." and
// exits 0 when every request got a 2xx, 1 otherwise (2 on bad usage).
// A failed request is not retried: the delivery benchmark waits for the
// accepted count only.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace {

struct Shared {
  std::atomic<long> next{0};
  std::atomic<long> accepted{0};
  std::atomic<long> failed{0};
  std::mutex mutex;
  std::string first_error;
};

void note_error(Shared& shared, const std::string& what) {
  shared.failed++;
  std::lock_guard lock(shared.mutex);
  if (shared.first_error.empty()) shared.first_error = what;
}

void post_loop(const std::string& host, int port, const std::string& key, const std::string& body, long count,
               Shared& shared) {
  httplib::Client client(host, port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(30, 0);
  const httplib::Headers headers{{"Authorization", "Bearer " + key}};
  while (shared.next.fetch_add(1) < count) {
    auto res = client.Post("/emails", headers, body, "application/json");
    if (!res) {
      note_error(shared, "transport: " + httplib::to_string(res.error()));
    } else if (res->status / 100 != 2) {
      note_error(shared, std::to_string(res->status) + " " + res->body.substr(0, 200));
    } else {
      shared.accepted++;
    }
  }
}

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s HOST PORT API_KEY BODY_FILE COUNT CONNECTIONS\n", argv[0]);
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::atoi(argv[2]);
  const std::string key = argv[3];
  const std::string body = read_file(argv[4]);
  const long count = std::atol(argv[5]);
  const int connections = std::atoi(argv[6]);
  if (body.empty() || count <= 0 || connections <= 0) {
    std::fprintf(stderr, "enqueue: empty body file or bad COUNT/CONNECTIONS\n");
    return 2;
  }
  Shared shared;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < connections; ++i)
    threads.emplace_back(post_loop, host, port, key, body, count, std::ref(shared));
  for (auto& t : threads) t.join();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::string first_error = shared.first_error;
  for (char& c : first_error)
    if (c == '\n' || c == '\r') c = ' ';
  std::printf("accepted=%ld failed=%ld seconds=%.3f first_error=%s\n", shared.accepted.load(), shared.failed.load(),
              took.count(), first_error.c_str());
  return shared.failed == 0 ? 0 : 1;
}
