// A 451 the first time -> delivery_delayed, then delivered on the retry
// (TERN_RETRY_SCHEDULE=1s in the scenario environment).
#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

TEST_F(DeliveryScenario, TemporaryFailureIsRetriedAndDelivered) {
  start();
  const std::string id =
      send(R"({"from":"a@acme.test","to":"tempfail-once-r1@example.test","subject":"s","text":"t"})");
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  ASSERT_TRUE(peer->wait_for_messages(1));
  EXPECT_EQ(peer->messages().size(), 1u);
  // Two RCPT TOs reached the peer: the deferred one and the accepted retry.
  int rcpts = 0;
  for (const auto& t : peer->transcripts())
    for (const auto& line : t)
      if (line.rfind("RCPT TO", 0) == 0) ++rcpts;
  EXPECT_EQ(rcpts, 2);
  EXPECT_NE(tern->log().find("email.delivery_delayed"), std::string::npos);
}

TEST_F(DeliveryScenario, DataRejectedTemporarilyIsRetried) {
  start();
  const std::string id =
      send(R"({"from":"a@acme.test","to":"data-451-once-r2@example.test","subject":"s","text":"t"})");
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  EXPECT_EQ(peer->messages().size(), 1u);
}

}  // namespace
}  // namespace tern::testing
