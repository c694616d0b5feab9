// A 550 from the MX bounces the recipient; a null MX bounces without any
// connection; other recipients of the same email are still delivered.
#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

TEST_F(DeliveryScenario, RejectedRecipientIsBounced) {
  start();
  const std::string id = send(R"({"from":"a@acme.test","to":"bounce@example.test","subject":"s","text":"t"})");
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "bounced")) << tern->log();
  EXPECT_TRUE(peer->messages().empty());
}

TEST_F(DeliveryScenario, NullMxBouncesAtOnceAndOthersAreDelivered) {
  start();
  const std::string id = send(
      R"({"from":"a@acme.test","to":["x@nullmx.test","ok@example.test"],"subject":"s","text":"t"})");
  ASSERT_TRUE(wait_until([&] {
    auto r = tern->get("/emails/" + id, token).json();
    return r.value("last_event", "") == "bounced";
  }, std::chrono::seconds(30))) << tern->log();
  ASSERT_TRUE(peer->wait_for_messages(1));
  auto m = peer->messages();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].recipients, std::vector<std::string>{"ok@example.test"});
}

}  // namespace
}  // namespace tern::testing
