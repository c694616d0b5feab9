// A worker SIGKILLed while it holds a job: the job stays pending in Redis,
// is reclaimed by another worker after TERN_CLAIM_TIMEOUT and delivered.
#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

TEST_F(DeliveryScenario, KilledWorkersJobIsReclaimedAndDelivered) {
  peer = std::make_unique<SmtpPeer>();
  env = base_env(redis.port());
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  env["TERN_SMTP_PORT"] = std::to_string(peer->port());
  token = create_api_key(redis.port());
  TernProcess api("api", env);
  auto first_worker = std::make_unique<TernProcess>("worker", env);

  // The peer holds RCPT for 3 s, so the worker is surely mid-job when killed.
  auto r = api.post("/emails", token,
                    R"({"from":"a@acme.test","to":"delay-3000@example.test","subject":"s","text":"t"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = r.json()["id"];
  ASSERT_TRUE(wait_until([&] {
    for (const auto& t : peer->transcripts())
      for (const auto& line : t)
        if (line.rfind("RCPT TO", 0) == 0) return true;
    return false;
  }));
  first_worker->kill_hard();
  EXPECT_TRUE(peer->messages().empty());

  TernProcess second_worker("worker", env);
  ASSERT_TRUE(peer->wait_for_messages(1, std::chrono::seconds(30))) << second_worker.log();
  ASSERT_TRUE(api.wait_for_last_event(id, token, "delivered")) << second_worker.log();
  EXPECT_EQ(peer->messages().size(), 1u);
}

}  // namespace
}  // namespace tern::testing
