// POST /emails -> the MX (found through real DNS) receives one well-formed
// message for every recipient, Bcc hidden -> GET /emails/{id} shows delivered.
#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

bool has_header(const std::string& data, const std::string& line) {
  return data.find("\r\n" + line + "\r\n") != std::string::npos || data.rfind(line + "\r\n", 0) == 0;
}

TEST_F(DeliveryScenario, SendIsDeliveredToEveryRecipient) {
  start();
  const std::string id = send(R"({
    "from": "Acme Support <support@acme.test>",
    "to": ["alice@example.test", "Bob <bob@example.test>"],
    "cc": "carol@other.test",
    "bcc": ["dave@example.test"],
    "reply_to": "help@acme.test",
    "subject": "Grüße aus Tern",
    "text": "Hello!\n.leading dot\nBye",
    "html": "<p>Hello!</p>",
    "headers": {"X-Entity-Ref-ID": "123"},
    "tags": [{"name": "category", "value": "welcome"}]
  })");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  ASSERT_TRUE(peer->wait_for_messages(2));

  auto messages = peer->messages();
  ASSERT_EQ(messages.size(), 2u) << "one transaction per recipient domain";
  std::vector<std::string> recipients;
  for (const auto& m : messages) {
    recipients.insert(recipients.end(), m.recipients.begin(), m.recipients.end());
    EXPECT_EQ(m.mail_from, "support@acme.test");
    EXPECT_EQ(m.helo, "tern.test");
    EXPECT_EQ(m.data, messages[0].data) << "every domain gets the same bytes";
  }
  std::sort(recipients.begin(), recipients.end());
  EXPECT_EQ(recipients, (std::vector<std::string>{"alice@example.test", "bob@example.test", "carol@other.test",
                                                  "dave@example.test"}));

  const std::string& data = messages[0].data;
  EXPECT_TRUE(has_header(data, "From: Acme Support <support@acme.test>")) << data;
  EXPECT_NE(data.find("To: alice@example.test, Bob <bob@example.test>"), std::string::npos) << data;
  EXPECT_TRUE(has_header(data, "Cc: carol@other.test")) << data;
  EXPECT_TRUE(has_header(data, "Reply-To: help@acme.test")) << data;
  EXPECT_TRUE(has_header(data, "X-Entity-Ref-ID: 123")) << data;
  EXPECT_NE(data.find("Subject: =?UTF-8?"), std::string::npos) << "non-ASCII subject is encoded: " << data;
  EXPECT_EQ(data.find("Bcc"), std::string::npos) << data;
  EXPECT_EQ(data.find("dave@"), std::string::npos) << "the Bcc address must not leak";
  EXPECT_NE(data.find("multipart/alternative"), std::string::npos);
  // CRLF only, and no line over 998 octets.
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\n') {
      ASSERT_TRUE(i > 0 && data[i - 1] == '\r') << "bare LF at " << i;
    }
    if (data[i] == '\r') {
      ASSERT_TRUE(i + 1 < data.size() && data[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find("\r\n", start);
    if (end == std::string::npos) end = data.size();
    EXPECT_LE(end - start, 998u);
    start = end + 2;
  }

  auto got = tern->get("/emails/" + id, token).json();
  EXPECT_EQ(got["object"], "email");
  EXPECT_EQ(got["last_event"], "delivered");
  EXPECT_EQ(got["subject"], "Grüße aus Tern");
  const std::string message_id = got["message_id"];
  EXPECT_TRUE(has_header(data, "Message-ID: " + message_id)) << message_id << "\n" << data;
  EXPECT_EQ(got["tags"][0]["name"], "category");
}

TEST_F(DeliveryScenario, ImplicitMxDeliversToTheDomainsAddress) {
  start();
  const std::string id =
      send(R"({"from":"a@acme.test","to":"someone@implicit.test","subject":"s","text":"t"})");
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  ASSERT_TRUE(peer->wait_for_messages(1));
  EXPECT_EQ(peer->messages()[0].recipients[0], "someone@implicit.test");
}

}  // namespace
}  // namespace tern::testing

namespace tern::testing {
namespace {

// One worker thread sends three emails to one domain in a row: one SMTP
// connection carries all three (connection_cache.hpp), and the worker says
// QUIT once it has been idle.
TEST_F(DeliveryScenario, ConsecutiveEmailsToOneDestinationShareAConnection) {
  start({}, {{"TERN_WORKER_CONCURRENCY", "1"}});
  for (int i = 0; i < 3; ++i) {
    const std::string id = send(R"({"from":"a@acme.test","to":"user)" + std::to_string(i) +
                                R"(@example.test","subject":"s","text":"t"})");
    ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  }
  auto transcripts = peer->transcripts();
  ASSERT_EQ(transcripts.size(), 1u) << "one connection for three messages";
  EXPECT_EQ(std::count_if(transcripts[0].begin(), transcripts[0].end(),
                          [](const std::string& l) { return l.rfind("MAIL FROM", 0) == 0; }),
            3);
  EXPECT_TRUE(peer->wait_for_closed(1, std::chrono::seconds(20))) << "idle connections are closed";
  EXPECT_EQ(peer->transcripts()[0].back(), "QUIT");
}

}  // namespace
}  // namespace tern::testing
