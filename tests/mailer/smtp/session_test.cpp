// session_test.cpp - the session's outcome rules (session.hpp) against the
// fault-injecting peer: per-recipient replies, 421s, timeouts, floods,
// STARTTLS in every mode. Durations are never asserted.
#include "mailer/smtp/session.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>

#include "tests/peers/process.hpp"
#include "tests/peers/smtp_peer.hpp"
#include "tests/peers/test_tls.hpp"

namespace tern::smtp {
namespace {

using tern::testing::SmtpFlood;
using tern::testing::SmtpPeer;
using tern::testing::SmtpPeerOptions;
using namespace std::chrono_literals;

const std::string kMessage = "Subject: t\r\n\r\nbody\r\n";

TransactionRequest make_request(std::vector<std::string> recipients, TlsMode tls = TlsMode::disabled) {
  TransactionRequest request;
  request.helo_name = "client.test";
  request.envelope = {"sender@example.com", std::move(recipients)};
  request.message = kMessage;
  request.tls = tls;
  request.timeouts = SmtpTimeouts::all(10s);
  return request;
}

Endpoint loopback(uint16_t port) { return Endpoint{"localhost", "127.0.0.1", port}; }

bool contains(const std::optional<std::string>& text, const std::string& needle) {
  return text && text->find(needle) != std::string::npos;
}

bool has_line(const std::vector<std::string>& lines, const std::string& prefix) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
}

// commands - the peer's transcript of the only connection, once it closed.
std::vector<std::string> commands(const SmtpPeer& peer) {
  EXPECT_TRUE(peer.wait_for_closed(1));
  auto transcripts = peer.transcripts();
  EXPECT_EQ(transcripts.size(), 1u);
  return transcripts.empty() ? std::vector<std::string>{} : transcripts[0];
}

// --- per-recipient results ----------------------------------------------------

TEST(SmtpSession, MixedRecipientResultsInEnvelopeOrder) {
  SmtpPeer peer;
  TransactionRequest request =
      make_request({"ok@a.test", "bounce@a.test", "tempfail@a.test", "ok2@a.test", "552@a.test"});
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  ASSERT_FALSE(result.network_error) << *result.network_error;
  EXPECT_FALSE(result.session_reply);
  ASSERT_EQ(result.recipients.size(), 5u);
  EXPECT_EQ(result.recipients[0].reply.code, 250);
  EXPECT_EQ(result.recipients[1].recipient, "bounce@a.test");
  EXPECT_EQ(result.recipients[1].reply.code, 550);
  ASSERT_TRUE(result.recipients[1].reply.enhanced);
  EXPECT_EQ(result.recipients[1].reply.enhanced->to_string(), "5.1.1");
  EXPECT_EQ(result.recipients[2].reply.code, 451);
  EXPECT_EQ(result.recipients[2].reply.enhanced->to_string(), "4.3.0");
  EXPECT_EQ(result.recipients[3].reply.code, 250);
  EXPECT_EQ(result.recipients[4].reply.code, 552);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  ASSERT_TRUE(peer.wait_for_messages(1));
  EXPECT_EQ(peer.messages()[0].recipients, (std::vector<std::string>{"ok@a.test", "ok2@a.test"}));
}

TEST(SmtpSession, WithoutPipeliningOneCommandAtATime) {
  SmtpPeerOptions options;
  options.pipelining = false;
  SmtpPeer peer(options);
  TransactionResult result =
      send_transaction(loopback(peer.port()), make_request({"ok@a.test", "bounce@a.test", "ok2@a.test"}));
  ASSERT_EQ(result.recipients.size(), 3u);
  EXPECT_EQ(result.recipients[0].reply.code, 250);
  EXPECT_EQ(result.recipients[1].reply.code, 550);
  EXPECT_EQ(result.recipients[2].reply.code, 250);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  EXPECT_EQ(commands(peer), (std::vector<std::string>{"EHLO client.test", "MAIL FROM:<sender@example.com>",
                                                     "RCPT TO:<ok@a.test>", "RCPT TO:<bounce@a.test>",
                                                     "RCPT TO:<ok2@a.test>", "DATA", "QUIT"}));
}

// The sender is refused: with PIPELINING the RCPTs were already sent and
// their 503s are drained; without it no RCPT is sent at all.
TEST(SmtpSession, SenderRejected) {
  for (bool pipelining : {true, false}) {
    SmtpPeerOptions options;
    options.pipelining = pipelining;
    SmtpPeer peer(options);
    TransactionRequest request = make_request({"ok@a.test", "ok2@a.test"});
    request.envelope.mail_from = "reject-sender@example.com";
    TransactionResult result = send_transaction(loopback(peer.port()), request);
    EXPECT_FALSE(result.network_error) << result.network_error.value_or("");
    ASSERT_TRUE(result.session_reply) << pipelining;
    EXPECT_EQ(result.session_reply->code, 550);
    EXPECT_EQ(result.stage, Stage::mail_from);
    EXPECT_TRUE(result.recipients.empty());
    EXPECT_FALSE(result.data_end_reply);
    std::vector<std::string> sent = commands(peer);
    EXPECT_EQ(has_line(sent, "RCPT"), pipelining);
    EXPECT_FALSE(has_line(sent, "DATA"));
    EXPECT_EQ(sent.back(), "QUIT");
  }
}

TEST(SmtpSession, NoAcceptedRecipientMeansNoData) {
  SmtpPeer peer;
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"550@a.test", "451@a.test"}));
  EXPECT_FALSE(result.network_error);
  EXPECT_FALSE(result.session_reply);
  EXPECT_FALSE(result.data_end_reply);
  ASSERT_EQ(result.recipients.size(), 2u);
  EXPECT_EQ(result.recipients[0].reply.code, 550);
  EXPECT_EQ(result.recipients[1].reply.code, 451);
  std::vector<std::string> sent = commands(peer);
  EXPECT_FALSE(has_line(sent, "DATA"));
  EXPECT_EQ(sent.back(), "QUIT");
}

TEST(SmtpSession, DataRejectedAfterTheDot) {
  SmtpPeer peer;
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"data-550@a.test"}));
  EXPECT_FALSE(result.network_error);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 550);
  EXPECT_EQ(result.data_end_reply->enhanced->to_string(), "5.6.0");
  EXPECT_EQ(result.recipients.at(0).reply.code, 250);
  EXPECT_TRUE(peer.messages().empty());
}

TEST(SmtpSession, TempfailOnceThenAccepted) {
  SmtpPeer peer;
  TransactionRequest request = make_request({"tempfail-once-x1@a.test"});
  EXPECT_EQ(send_transaction(loopback(peer.port()), request).recipients.at(0).reply.code, 451);
  TransactionResult second = send_transaction(loopback(peer.port()), request);
  EXPECT_EQ(second.recipients.at(0).reply.code, 250);
  ASSERT_TRUE(second.data_end_reply);
  EXPECT_EQ(second.data_end_reply->code, 250);
}

TEST(SmtpSession, DataTempfailOnceThenAccepted) {
  SmtpPeer peer;
  TransactionRequest request = make_request({"data-451-once-y@a.test"});
  TransactionResult first = send_transaction(loopback(peer.port()), request);
  ASSERT_TRUE(first.data_end_reply);
  EXPECT_EQ(first.data_end_reply->code, 451);
  TransactionResult second = send_transaction(loopback(peer.port()), request);
  ASSERT_TRUE(second.data_end_reply);
  EXPECT_EQ(second.data_end_reply->code, 250);
  EXPECT_TRUE(peer.wait_for_messages(1));
}

TEST(SmtpSession, UnsendableRecipientGetsALocalReplyOthersProceed) {
  SmtpPeer peer;
  TransactionResult result =
      send_transaction(loopback(peer.port()), make_request({"bad>@a.test", "j\xc3\xb6rg@a.test", "ok@a.test"}));
  ASSERT_EQ(result.recipients.size(), 3u);
  EXPECT_EQ(result.recipients[0].reply.code, 501);
  EXPECT_NE(result.recipients[0].reply.text().find("(local)"), std::string::npos);
  EXPECT_EQ(result.recipients[1].reply.code, 553);
  EXPECT_EQ(result.recipients[1].reply.enhanced->to_string(), "5.6.7");
  EXPECT_EQ(result.recipients[2].reply.code, 250);
  ASSERT_TRUE(result.data_end_reply);
  std::vector<std::string> sent = commands(peer);
  EXPECT_FALSE(has_line(sent, "RCPT TO:<bad"));
}

TEST(SmtpSession, MessageAboveTheServersSizeIsNeverSent) {
  SmtpPeerOptions options;
  options.size_limit = 10;
  SmtpPeer peer(options);
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}));
  ASSERT_TRUE(result.session_reply);
  EXPECT_EQ(result.session_reply->code, 552);
  EXPECT_EQ(result.stage, Stage::mail_from);
  std::vector<std::string> sent = commands(peer);
  EXPECT_FALSE(has_line(sent, "MAIL"));
  EXPECT_EQ(sent.back(), "QUIT");
}

TEST(SmtpSession, HeloFallbackWhenEhloIsRejected) {
  SmtpPeerOptions options;
  options.esmtp = false;
  SmtpPeer peer(options);
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}));
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  std::vector<std::string> sent = commands(peer);
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[0], "EHLO client.test");
  EXPECT_EQ(sent[1], "HELO client.test");
}

// --- replies that end the session ---------------------------------------------

TEST(SmtpSession, Greeting421EndsWithoutCommands) {
  SmtpPeerOptions options;
  options.greeting_code = 421;
  SmtpPeer peer(options);
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}));
  EXPECT_FALSE(result.network_error);
  ASSERT_TRUE(result.session_reply);
  EXPECT_EQ(result.session_reply->code, 421);
  EXPECT_EQ(result.stage, Stage::greeting);
  EXPECT_TRUE(commands(peer).empty());
}

TEST(SmtpSession, Greeting554EndsWithQuit) {
  SmtpPeerOptions options;
  options.greeting_code = 554;
  SmtpPeer peer(options);
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}));
  ASSERT_TRUE(result.session_reply);
  EXPECT_EQ(result.session_reply->code, 554);
  EXPECT_EQ(result.stage, Stage::greeting);
  EXPECT_EQ(commands(peer), std::vector<std::string>{"QUIT"});
}

TEST(SmtpSession, Rcpt421EndsTheTransaction) {
  SmtpPeer peer;
  TransactionResult result =
      send_transaction(loopback(peer.port()), make_request({"ok@a.test", "421@a.test", "ok2@a.test"}));
  EXPECT_FALSE(result.network_error);
  ASSERT_TRUE(result.session_reply);
  EXPECT_EQ(result.session_reply->code, 421);
  EXPECT_EQ(result.stage, Stage::rcpt_to);
  ASSERT_EQ(result.recipients.size(), 2u);
  EXPECT_EQ(result.recipients[1].reply.code, 421);
  EXPECT_FALSE(result.data_end_reply);
  EXPECT_FALSE(has_line(commands(peer), "QUIT"));
}

// --- network failures ----------------------------------------------------------

TEST(SmtpSession, ConnectionRefused) {
  // A bound but non-listening loopback socket: nothing can accept on its port.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  uint16_t port = ntohs(addr.sin_port);

  TransactionResult result = send_transaction(loopback(port), make_request({"ok@a.test"}));
  close(fd);
  ASSERT_TRUE(result.network_error);
  EXPECT_TRUE(contains(result.network_error, "refused")) << *result.network_error;
  EXPECT_EQ(result.stage, Stage::connect);
  EXPECT_TRUE(result.recipients.empty());
}

TEST(SmtpSession, InvalidAddressIsANetworkError) {
  TransactionResult result = send_transaction(Endpoint{"x", "not-an-ip", 25}, make_request({"ok@a.test"}));
  EXPECT_TRUE(contains(result.network_error, "invalid address")) << result.network_error.value_or("");
}

TEST(SmtpSession, SlowRcptReplyTimesOut) {
  SmtpPeer peer;
  TransactionRequest request = make_request({"ok@a.test", "delay-3000@a.test"});
  request.timeouts = SmtpTimeouts::all(200ms);
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  ASSERT_TRUE(result.network_error);
  EXPECT_EQ(*result.network_error, "timeout waiting for reply to RCPT TO");
  EXPECT_EQ(result.stage, Stage::rcpt_to);
  ASSERT_EQ(result.recipients.size(), 1u);  // the slow one got no reply
  EXPECT_FALSE(result.data_end_reply);
}

TEST(SmtpSession, SlowGreetingTimesOut) {
  SmtpPeerOptions options;
  options.delays["greeting"] = 3s;
  SmtpPeer peer(options);
  TransactionRequest request = make_request({"ok@a.test"});
  request.timeouts = SmtpTimeouts::all(10s);
  request.timeouts.greeting = 200ms;
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  EXPECT_EQ(result.network_error.value_or(""), "timeout waiting for greeting");
  EXPECT_EQ(result.stage, Stage::greeting);
}

TEST(SmtpSession, SlowReplyToTheDotTimesOut) {
  SmtpPeerOptions options;
  options.delays["dot"] = 3s;
  SmtpPeer peer(options);
  TransactionRequest request = make_request({"ok@a.test"});
  request.timeouts.data_end = 200ms;
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  EXPECT_EQ(result.network_error.value_or(""), "timeout waiting for reply to end of data");
  EXPECT_EQ(result.stage, Stage::data_end);
  EXPECT_FALSE(result.data_end_reply);
}

TEST(SmtpSession, DisconnectAfterTheDot) {
  SmtpPeer peer;
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"disconnect-in-data@a.test"}));
  EXPECT_TRUE(contains(result.network_error, "connection closed by peer while waiting for reply to end of data"))
      << result.network_error.value_or("");
  EXPECT_EQ(result.stage, Stage::data_end);
  EXPECT_FALSE(result.data_end_reply);
}

TEST(SmtpSession, EndlessMultiLineReplyIsBounded) {
  SmtpPeerOptions options;
  options.ehlo_flood = SmtpFlood::endless_multiline;
  SmtpPeer peer(options);
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}));
  EXPECT_TRUE(contains(result.network_error, "protocol error in reply to EHLO: reply has more than 100 lines"))
      << result.network_error.value_or("");
  EXPECT_EQ(result.stage, Stage::ehlo);
}

TEST(SmtpSession, HugeReplyLineIsBounded) {
  SmtpPeerOptions options;
  options.ehlo_flood = SmtpFlood::huge_line;
  SmtpPeer peer(options);
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}));
  EXPECT_TRUE(contains(result.network_error, "longer than 1000 octets")) << result.network_error.value_or("");
  EXPECT_EQ(result.stage, Stage::ehlo);
}

// --- STARTTLS ------------------------------------------------------------------

SmtpPeerOptions with_starttls() {
  SmtpPeerOptions options;
  options.starttls = true;
  return options;
}

TEST(SmtpSession, OpportunisticTlsIsUsedWhenOffered) {
  SmtpPeer peer(with_starttls());
  TransactionResult result =
      send_transaction(loopback(peer.port()), make_request({"ok@a.test"}, TlsMode::opportunistic));
  ASSERT_FALSE(result.network_error) << *result.network_error;
  EXPECT_TRUE(result.used_tls);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  ASSERT_TRUE(peer.wait_for_messages(1));
  EXPECT_TRUE(peer.messages()[0].tls);
  EXPECT_EQ(peer.messages()[0].data, kMessage);
  std::vector<std::string> sent = commands(peer);
  ASSERT_GE(sent.size(), 3u);
  EXPECT_EQ(sent[0], "EHLO client.test");
  EXPECT_EQ(sent[1], "STARTTLS");
  EXPECT_EQ(sent[2], "EHLO client.test");  // capabilities asked again over TLS
}

TEST(SmtpSession, OpportunisticWithoutStarttlsStaysPlain) {
  SmtpPeer peer;
  TransactionResult result =
      send_transaction(loopback(peer.port()), make_request({"ok@a.test"}, TlsMode::opportunistic));
  ASSERT_FALSE(result.network_error);
  EXPECT_FALSE(result.used_tls);
  EXPECT_TRUE(peer.wait_for_messages(1));
}

TEST(SmtpSession, DisabledNeverSendsStarttls) {
  SmtpPeer peer(with_starttls());
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@a.test"}, TlsMode::disabled));
  EXPECT_FALSE(result.used_tls);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_FALSE(has_line(commands(peer), "STARTTLS"));
}

TEST(SmtpSession, EnforcedTlsVerifiesAgainstTheGivenCa) {
  SmtpPeer peer(with_starttls());
  TransactionRequest request = make_request({"ok@a.test"}, TlsMode::enforced);
  request.ca_file = peer.ca_file();
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  ASSERT_FALSE(result.network_error) << *result.network_error;
  EXPECT_TRUE(result.used_tls);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  ASSERT_TRUE(peer.wait_for_messages(1));
  EXPECT_TRUE(peer.messages()[0].tls);
}

TEST(SmtpSession, EnforcedTlsWithTheWrongCaFails) {
  SmtpPeer peer(with_starttls());
  tern::testing::TempDir dir;
  tern::testing::TestPki other = tern::testing::make_test_pki(dir.path());
  TransactionRequest request = make_request({"ok@a.test"}, TlsMode::enforced);
  request.ca_file = other.ca_file;
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  EXPECT_TRUE(contains(result.network_error, "TLS handshake failed")) << result.network_error.value_or("");
  EXPECT_EQ(result.stage, Stage::starttls);
  EXPECT_FALSE(result.used_tls);
  EXPECT_TRUE(result.recipients.empty());
  EXPECT_FALSE(has_line(commands(peer), "MAIL"));
}

TEST(SmtpSession, EnforcedTlsWithTheWrongHostNameFails) {
  SmtpPeer peer(with_starttls());
  TransactionRequest request = make_request({"ok@a.test"}, TlsMode::enforced);
  request.ca_file = peer.ca_file();
  Endpoint endpoint = loopback(peer.port());
  endpoint.host_name = "mx.elsewhere.test";
  TransactionResult result = send_transaction(endpoint, request);
  EXPECT_TRUE(contains(result.network_error, "TLS handshake failed")) << result.network_error.value_or("");
  EXPECT_FALSE(has_line(commands(peer), "MAIL"));
}

TEST(SmtpSession, ResponseInjectedBeforeTheHandshakeAborts) {
  SmtpPeerOptions options = with_starttls();
  options.inject_after_starttls = true;
  SmtpPeer peer(options);
  TransactionResult result =
      send_transaction(loopback(peer.port()), make_request({"ok@a.test"}, TlsMode::opportunistic));
  EXPECT_TRUE(contains(result.network_error, "response injection")) << result.network_error.value_or("");
  EXPECT_EQ(result.stage, Stage::starttls);
  EXPECT_FALSE(result.used_tls);
  EXPECT_FALSE(has_line(commands(peer), "MAIL"));
}

TEST(SmtpSession, EnforcedTlsNotOfferedSendsOnlyQuit) {
  SmtpPeer peer;
  TransactionRequest request = make_request({"ok@a.test"}, TlsMode::enforced);
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  EXPECT_EQ(result.network_error.value_or(""), "STARTTLS not offered");
  EXPECT_EQ(result.stage, Stage::starttls);
  EXPECT_FALSE(result.used_tls);
  EXPECT_EQ(commands(peer), (std::vector<std::string>{"EHLO client.test", "QUIT"}));
}

}  // namespace
}  // namespace tern::smtp
