// scenario.hpp - the common stage of delivery scenarios: a real Redis, a
// real DNS server (dnsmasq) whose zone sends *.test mail to 127.0.0.1, a
// scriptable SMTP peer there, and `tern serve` wired to all three.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "tests/integration/harness.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/redis_runner.hpp"
#include "tests/peers/smtp_peer.hpp"

namespace tern::testing {

inline DnsZone delivery_zone() {
  DnsZone zone("test");
  zone.add_mx("example.test", 10, "mx.example.test").add_a("mx.example.test", "127.0.0.1");
  zone.add_mx("other.test", 10, "mx.other.test").add_a("mx.other.test", "127.0.0.1");
  zone.add_a("implicit.test", "127.0.0.1");  // no MX: implicit MX to its A record
  zone.add_mx("nullmx.test", 0, ".");
  return zone;
}

class DeliveryScenario : public ::testing::Test {
 protected:
  void start(SmtpPeerOptions peer_options = {}, Env extra = {}) {
    peer = std::make_unique<SmtpPeer>(peer_options);
    env = base_env(redis.port());
    env["TERN_DNS_SERVERS"] = dns.server_spec();
    env["TERN_SMTP_PORT"] = std::to_string(peer->port());
    for (auto& [k, v] : extra) env[k] = v;
    token = create_api_key(redis.port());
    tern = std::make_unique<TernProcess>("serve", env);
  }

  // send - POST /emails; returns the id (fails the test on anything but 200).
  std::string send(const std::string& body) {
    auto r = tern->post("/emails", token, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("id", "");
  }

  RedisServer redis;
  DnsServer dns{delivery_zone()};
  std::unique_ptr<SmtpPeer> peer;
  Env env;
  std::string token;
  std::unique_ptr<TernProcess> tern;
};

}  // namespace tern::testing
