// Kill -9 under load: while emails stream in, the worker is SIGKILLed and
// restarted several times and redis-server is SIGKILLed and restarted from
// its AOF once. Every id the API accepted (200) must reach the SMTP peer at
// least once; duplicates are counted and reported, not forbidden
// (at-least-once), but bounded by the jobs in flight at each kill.
#include <map>
#include <set>
#include <thread>

#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

std::string message_id_of(const std::string& data) {
  auto pos = data.find("\r\nMessage-ID: ");
  if (pos == std::string::npos) return {};
  pos += 14;
  return data.substr(pos, data.find("\r\n", pos) - pos);
}

TEST_F(DeliveryScenario, NothingAcceptedIsLostWhenWorkerAndRedisAreKilled) {
  peer = std::make_unique<SmtpPeer>();
  env = base_env(redis.port());
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  env["TERN_SMTP_PORT"] = std::to_string(peer->port());
  env["TERN_CLAIM_TIMEOUT"] = "1s";
  token = create_api_key(redis.port());
  auto api = std::make_unique<TernProcess>("api", env);
  auto worker = std::make_unique<TernProcess>("worker", env);

  std::vector<std::string> accepted;
  int refused = 0;
  constexpr int kEmails = 150;
  for (int i = 0; i < kEmails; ++i) {
    // Recipients delayed by the peer keep jobs in flight when the kills land.
    std::string rcpt = (i % 5 == 0) ? "delay-200@example.test" : "ok" + std::to_string(i) + "@example.test";
    auto r = api->post("/emails", token,
                       R"({"from":"a@acme.test","to":")" + rcpt + R"(","subject":"load )" + std::to_string(i) +
                           R"(","text":"t"})");
    if (r.status == 200) {
      accepted.push_back(r.json()["id"]);
    } else {
      ++refused;  // only while Redis is down: never acknowledged, so not owed
    }
    if (i == 40 || i == 80 || i == 120) {
      worker->kill_hard();
      worker = std::make_unique<TernProcess>("worker", env);
    }
    if (i == 100) {
      redis.kill_hard();
      redis.start();
    }
  }
  ASSERT_GE(accepted.size(), size_t(kEmails - 20)) << "refused " << refused;

  // Map every accepted id to its Message-ID, then wait for all of them.
  std::map<std::string, std::string> id_by_message_id;
  for (const auto& id : accepted) {
    nlohmann::json got;
    ASSERT_TRUE(wait_until([&] {
      auto r = api->get("/emails/" + id, token);
      if (r.status == 200) got = r.json();
      return r.status == 200;
    })) << "accepted id " << id << " is gone";
    id_by_message_id[got["message_id"]] = id;
  }
  std::map<std::string, int> received;
  ASSERT_TRUE(wait_until(
      [&] {
        received.clear();
        for (const auto& m : peer->messages()) received[message_id_of(m.data)]++;
        for (const auto& [mid, id] : id_by_message_id)
          if (!received.count(mid)) return false;
        return true;
      },
      std::chrono::seconds(90)))
      << "delivered " << received.size() << " of " << accepted.size() << "\n" << worker->log();

  int duplicates = 0;
  for (const auto& [mid, n] : received) duplicates += n - 1;
  std::printf("[ crash ] accepted %zu, refused while Redis was down %d, delivered %zu, duplicates %d\n",
              accepted.size(), refused, received.size(), duplicates);
  EXPECT_LE(duplicates, 3 * 4 + 4) << "more duplicates than jobs that can be in flight at the kills";
  for (const auto& id : accepted) EXPECT_TRUE(api->wait_for_last_event(id, token, "delivered")) << id;
}

}  // namespace
}  // namespace tern::testing
