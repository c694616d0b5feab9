// bounce_listener_test.cpp - the bounce listener end to end: reports sent
// over SMTP (Tern's own client, and a raw line client for protocol edges)
// to a listener on 127.0.0.1:0, recorded by BounceRecorder in a real redis.
#include "worker/bounce_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "mailer/smtp/client.hpp"
#include "store/redis/email_store.hpp"
#include "store/redis/suppression_store.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"
#include "worker/bounce_recorder.hpp"
#include "worker/verp.hpp"

namespace tern::worker {
namespace {

using namespace std::chrono_literals;

const std::string kBouncedId = "0b6c7d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";    // postfix_bounce.eml
const std::string kComplainedId = "2e3f4051-6b7c-4d8e-9fa0-b1c2d3e4f5a6";  // arf_rfc5965.eml

std::string sample(const std::string& name) {
  std::ifstream in(std::string(TERN_SOURCE_DIR) + "/tests/data/dsn/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string crlf;
  for (char c : ss.str()) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return crlf;
}

// LineClient - a blocking loopback SMTP client that sends raw lines.
class LineClient {
 public:
  explicit LineClient(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};  // a hung test fails instead of hanging
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~LineClient() { close(fd_); }
  bool connected() const { return connected_; }

  void send(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // reply - one complete (possibly multi-line) reply; "" when the connection closed.
  std::string reply() {
    std::string all;
    for (;;) {
      std::string line = read_line();
      if (line.empty()) return all;
      all += line;
      if (line.size() < 4 || line[3] != '-') return all;
    }
  }
  std::string command(const std::string& line) {
    send(line + "\r\n");
    return reply();
  }
  bool closed_by_peer() {
    char c;
    return recv(fd_, &c, 1, 0) == 0;
  }

 private:
  std::string read_line() {
    std::string line;
    char c;
    while (recv(fd_, &c, 1, 0) == 1) {
      line += c;
      if (c == '\n') break;
    }
    return line;
  }
  int fd_ = -1;
  bool connected_ = false;
};

class FailingSink final : public BounceSink {
 public:
  Result<void> on_report(const std::string&, const mailer::ParsedReport&) override {
    return fail(Errc::unavailable, "redis down");
  }
};

class BounceListenerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
    create_email(kBouncedId, "Nobody@Example.org");
    create_email(kComplainedId, "user@example.com");
    recorder_ = std::make_unique<BounceRecorder>(*pool_, clock_);
    listener_ = std::make_unique<BounceListener>(*recorder_, options());
    auto port = listener_->start("127.0.0.1", 0);
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }

  static BounceListenerOptions options() {
    BounceListenerOptions o;
    o.hostname = "mail.tern.test";
    o.max_message_bytes = 64 * 1024;
    o.max_recipients = 3;
    o.command_timeout = 5s;
    o.data_timeout = 10s;
    return o;
  }

  void create_email(const std::string& id, const std::string& to) {
    store::EmailContent c;
    c.id = id;
    c.team = "team-a";
    c.from = "Acme <sender@acme.test>";
    c.to = {to};
    c.subject = "hi";
    c.text = "hello";
    c.message_id = "<" + id + "@mail.tern.test>";
    c.created_at = clock_.now();
    store::EmailState state = store::initial_state(c);
    state.recipients[0].status = store::RecipientStatus::delivered;
    state.last_event = "delivered";
    ASSERT_TRUE(store::EmailStore(*pool_).create(c, state, store::EmailEvent{"email.sent", c.created_at, {}, {}}));
  }

  smtp::TransactionResult send(const std::vector<std::string>& recipients, const std::string& message) {
    smtp::TransactionRequest request;
    request.helo_name = "mx.example.org";
    request.envelope = smtp::Envelope{"", recipients};
    request.message = message;
    request.tls = smtp::TlsMode::disabled;
    request.timeouts = SmtpTimeouts::all(10s);
    return smtp::send_transaction(smtp::Endpoint{"localhost", "127.0.0.1", port_}, request);
  }

  store::StoredEmail email(const std::string& id) {
    auto got = store::EmailStore(*pool_).get_any(id);
    EXPECT_TRUE(got && *got);
    return got && *got ? **got : store::StoredEmail{};
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  SystemClock clock_;
  std::unique_ptr<BounceRecorder> recorder_;
  std::unique_ptr<BounceListener> listener_;
  uint16_t port_ = 0;
};

std::unique_ptr<testing::RedisServer> BounceListenerTest::redis_;

TEST_F(BounceListenerTest, DsnMarksTheRecipientBouncedAndSuppressesIt) {
  auto result = send({verp_address(kBouncedId, "mail.tern.test")}, sample("postfix_bounce.eml"));
  ASSERT_FALSE(result.network_error) << *result.network_error;
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250) << result.data_end_reply->to_string();

  store::StoredEmail e = email(kBouncedId);
  EXPECT_EQ(e.state.last_event, "bounced");
  ASSERT_EQ(e.state.recipients.size(), 1u);
  EXPECT_EQ(e.state.recipients[0].status, store::RecipientStatus::bounced);
  ASSERT_TRUE(e.state.recipients[0].last_reply);
  EXPECT_EQ(e.state.recipients[0].last_reply->code, 550);
  EXPECT_EQ(e.state.recipients[0].last_reply->enhanced, "5.1.1");
  EXPECT_EQ(e.state.recipients[0].last_reply->host, "mailstore.example.org");

  store::SuppressionStore suppressions(*pool_);
  auto listed = suppressions.is_suppressed("team-a", "nobody@example.org");
  ASSERT_TRUE(listed && *listed);
  EXPECT_EQ((*listed)->origin, store::SuppressionOrigin::bounce);
  EXPECT_EQ((*listed)->source_id, std::optional<std::string>(kBouncedId));

  // The same DSN again (senders retry): still 250, recorded once.
  auto again = send({verp_address(kBouncedId, "mail.tern.test")}, sample("postfix_bounce.eml"));
  ASSERT_TRUE(again.data_end_reply);
  EXPECT_EQ(again.data_end_reply->code, 250);
  auto events = store::EmailStore(*pool_).events(kBouncedId);
  ASSERT_TRUE(events);
  int bounced = 0;
  for (const auto& ev : *events) bounced += ev.type == "email.bounced";
  EXPECT_EQ(bounced, 1);
}

TEST_F(BounceListenerTest, AbuseReportMarksTheEmailComplained) {
  auto result = send({verp_address(kComplainedId, "other.host.test")}, sample("arf_rfc5965.eml"));
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  store::StoredEmail e = email(kComplainedId);
  EXPECT_EQ(e.state.last_event, "complained");
  EXPECT_EQ(e.state.recipients[0].status, store::RecipientStatus::delivered);
  store::SuppressionStore suppressions(*pool_);
  auto listed = suppressions.is_suppressed("team-a", "user@example.com");
  ASSERT_TRUE(listed && *listed);
  EXPECT_EQ((*listed)->origin, store::SuppressionOrigin::complaint);
}

TEST_F(BounceListenerTest, RefusesRecipientsThatAreNotVerpAddresses) {
  auto result = send({"postmaster@mail.tern.test"}, sample("postfix_bounce.eml"));
  ASSERT_EQ(result.recipients.size(), 1u);
  EXPECT_EQ(result.recipients[0].reply.code, 550);
  ASSERT_TRUE(result.recipients[0].reply.enhanced);
  EXPECT_EQ(result.recipients[0].reply.enhanced->to_string(), "5.1.1");
  EXPECT_FALSE(result.data_end_reply);
  EXPECT_EQ(email(kBouncedId).state.last_event, "delivered");
}

TEST_F(BounceListenerTest, RefusesOversizedMessagesAndStaysInStep) {
  LineClient c(port_);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.reply().substr(0, 4), "220 ");
  EXPECT_EQ(c.command("EHLO mx.example.org").substr(0, 4), "250-");
  EXPECT_EQ(c.command("MAIL FROM:<> SIZE=100000000").substr(0, 9), "552 5.3.4");
  EXPECT_EQ(c.command("MAIL FROM:<>").substr(0, 3), "250");
  EXPECT_EQ(c.command("RCPT TO:<" + verp_address(kBouncedId, "mail.tern.test") + ">").substr(0, 3), "250");
  EXPECT_EQ(c.command("DATA").substr(0, 3), "354");
  const std::string line(900, 'x');
  for (int i = 0; i < 100; ++i) c.send(line + "\r\n");  // ~90 KB > 64 KB
  EXPECT_EQ(c.command(".").substr(0, 9), "552 5.3.4");
  EXPECT_EQ(c.command("RSET").substr(0, 3), "250");
  EXPECT_EQ(c.command("QUIT").substr(0, 3), "221");
  EXPECT_EQ(email(kBouncedId).state.last_event, "delivered");
}

TEST_F(BounceListenerTest, LimitsRecipientsAndLineLength) {
  LineClient c(port_);
  ASSERT_TRUE(c.connected());
  c.reply();
  c.command("HELO mx.example.org");
  EXPECT_EQ(c.command("RCPT TO:<" + verp_address(kBouncedId, "h") + ">").substr(0, 3), "503");  // no MAIL yet
  c.command("MAIL FROM:<>");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(c.command("RCPT TO:<" + verp_address(kBouncedId, "h") + ">").substr(0, 3), "250");
  EXPECT_EQ(c.command("RCPT TO:<" + verp_address(kBouncedId, "h") + ">").substr(0, 9), "452 4.5.3");
  EXPECT_EQ(c.command("NOOP " + std::string(2000, 'a')).substr(0, 9), "500 5.5.2");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(BounceListenerTest, AcceptsAndDropsMessagesThatAreNotReports) {
  auto result = send({verp_address(kBouncedId, "mail.tern.test")}, sample("not_a_report.eml"));
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  EXPECT_EQ(email(kBouncedId).state.last_event, "delivered");
}

TEST_F(BounceListenerTest, SinkFailureAsksTheSenderToRetry) {
  FailingSink sink;
  BounceListener listener(sink, options());
  auto port = listener.start("127.0.0.1", 0);
  ASSERT_TRUE(port);
  smtp::TransactionRequest request;
  request.helo_name = "mx.example.org";
  request.envelope = smtp::Envelope{"", {verp_address(kBouncedId, "mail.tern.test")}};
  const std::string message = sample("postfix_bounce.eml");
  request.message = message;
  request.tls = smtp::TlsMode::disabled;
  request.timeouts = SmtpTimeouts::all(10s);
  auto result = smtp::send_transaction(smtp::Endpoint{"localhost", "127.0.0.1", *port}, request);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 451);
}

TEST_F(BounceListenerTest, RefusesSessionsPastTheLimitAndClosesIdleOnes) {
  BounceListenerOptions o = options();
  o.max_sessions = 1;
  o.command_timeout = 300ms;
  FailingSink sink;
  BounceListener listener(sink, o);
  auto port = listener.start("127.0.0.1", 0);
  ASSERT_TRUE(port);
  LineClient first(*port);
  EXPECT_EQ(first.reply().substr(0, 3), "220");
  LineClient second(*port);
  EXPECT_EQ(second.reply().substr(0, 9), "421 4.3.2");
  // The idle first session is closed by the server once its command timeout passes.
  EXPECT_TRUE(first.closed_by_peer());
  EXPECT_TRUE(testing::wait_until([&] {
    LineClient third(*port);
    return third.reply().substr(0, 3) == "220";
  }));
}

TEST(BounceListener, StartFailsOnABadAddress) {
  FailingSink sink;
  BounceListener listener(sink, BounceListenerOptions{});
  EXPECT_FALSE(listener.start("not-an-ip", 0));
  listener.stop();
  listener.stop();
}

}  // namespace
}  // namespace tern::worker
