// dead_destination_test.cpp - a dead destination does not hold up healthy
// ones. dead.test's MX (127.0.0.2, same port as the healthy peer) accepts
// TCP connections and never says a word, so every attempt there waits out
// the whole greeting timeout. With TERN_DESTINATION_CONCURRENCY below the
// worker's concurrency, those attempts can only ever occupy that many
// delivery threads: mail queued behind them for healthy domains is
// delivered while the dead domain's first attempts are still waiting.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

// Blackhole - a listening socket that never accepts: the kernel completes
// the TCP handshake, the client then waits for a greeting that never comes.
class Blackhole {
 public:
  Blackhole(const char* address, uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, address, &sa.sin_addr);
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 && ::listen(fd_, 64) == 0;
  }
  ~Blackhole() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return ok_; }

 private:
  int fd_;
  bool ok_ = false;
};

TEST(DeadDestination, HealthyMailIsDeliveredWhileTheDeadDomainsAttemptsHang) {
  RedisServer redis;
  SmtpPeer peer;
  Blackhole dead("127.0.0.2", peer.port());
  ASSERT_TRUE(dead.ok()) << "cannot listen on 127.0.0.2:" << peer.port();
  DnsZone zone = delivery_zone();
  zone.add_mx("dead.test", 10, "mx.dead.test").add_a("mx.dead.test", "127.0.0.2");
  DnsServer dns(zone);

  Env env = base_env(redis.port());
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  env["TERN_SMTP_PORT"] = std::to_string(peer.port());
  env["TERN_SMTP_TIMEOUT"] = "60s";  // each dead attempt hangs this long
  env["TERN_WORKER_CONCURRENCY"] = "4";
  env["TERN_DESTINATION_CONCURRENCY"] = "2";
  const std::string token = create_api_key(redis.port());
  TernProcess tern("serve", env);

  auto send = [&](const std::string& to) {
    auto r = tern.post("/emails", token,
                       R"({"from":"a@acme.test","to":")" + to + R"(","subject":"s","text":"t"})");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("id", "");
  };
  std::vector<std::string> dead_ids, healthy_ids;
  for (int i = 0; i < 6; ++i) dead_ids.push_back(send("user" + std::to_string(i) + "@dead.test"));
  for (int i = 0; i < 10; ++i) healthy_ids.push_back(send("user" + std::to_string(i) + "@example.test"));

  for (const auto& id : healthy_ids) ASSERT_TRUE(tern.wait_for_last_event(id, token, "delivered")) << tern.log();
  // Ordering, not timing: the dead domain's first attempts (60 s each) are
  // still waiting for a greeting, so none of its emails has an outcome yet.
  for (const auto& id : dead_ids) {
    auto r = tern.get("/emails/" + id, token);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["last_event"], "sent") << "a dead-domain email already finished an attempt: " << r.body;
  }
  EXPECT_EQ(peer.messages().size(), healthy_ids.size());
}

}  // namespace
}  // namespace tern::testing
