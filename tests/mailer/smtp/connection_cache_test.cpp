// connection_cache_test.cpp - connection reuse (connection_cache.hpp)
// against the scriptable peer: several messages on one connection, RSET only
// after an abandoned transaction, a server that closed the idle connection,
// idle and per-connection limits, STARTTLS kept across messages.
#include "mailer/smtp/connection_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "tests/peers/smtp_peer.hpp"

namespace tern::smtp {
namespace {

using tern::testing::SmtpPeer;
using tern::testing::SmtpPeerOptions;
using namespace std::chrono_literals;

TransactionRequest make_request(std::string recipient, TlsMode tls = TlsMode::disabled) {
  static const std::string kMessage = "Subject: t\r\n\r\nbody\r\n";
  TransactionRequest request;
  request.helo_name = "client.test";
  request.envelope = {"sender@example.com", {std::move(recipient)}};
  request.message = kMessage;
  request.tls = tls;
  request.timeouts = SmtpTimeouts::all(10s);
  return request;
}

Endpoint loopback(uint16_t port) { return Endpoint{"localhost", "127.0.0.1", port}; }

long count(const std::vector<std::string>& lines, const std::string& prefix) {
  return std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
}

bool delivered(const TransactionResult& r) { return r.data_end_reply && r.data_end_reply->code == 250; }

TEST(ConnectionCache, SeveralMessagesShareOneConnectionAndOneGreeting) {
  SmtpPeer peer;
  {
    ConnectionCache cache;
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok@a.test"))));
    EXPECT_EQ(cache.idle_count(), 1u);
    ASSERT_TRUE(peer.wait_for_messages(3));
  }  // the cache says QUIT on the way out
  ASSERT_TRUE(peer.wait_for_closed(1));
  auto transcripts = peer.transcripts();
  ASSERT_EQ(transcripts.size(), 1u);
  EXPECT_EQ(count(transcripts[0], "EHLO"), 1);
  EXPECT_EQ(count(transcripts[0], "MAIL FROM"), 3);
  EXPECT_EQ(count(transcripts[0], "RSET"), 0) << "after the reply to the dot the server is already reset";
  EXPECT_EQ(transcripts[0].back(), "QUIT");
}

TEST(ConnectionCache, AnAbandonedTransactionIsResetBeforeTheNext) {
  SmtpPeer peer;
  ConnectionCache cache;
  TransactionResult refused = cache.send(loopback(peer.port()), make_request("bounce@a.test"));
  ASSERT_EQ(refused.recipients.size(), 1u);
  EXPECT_EQ(refused.recipients[0].reply.code, 550);
  EXPECT_FALSE(refused.data_end_reply) << "no DATA without an accepted recipient";
  EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok@a.test"))));
  auto transcripts = peer.transcripts();
  ASSERT_EQ(transcripts.size(), 1u);
  const auto& lines = transcripts[0];
  auto rset = std::find(lines.begin(), lines.end(), "RSET");
  ASSERT_NE(rset, lines.end());
  EXPECT_EQ(std::count_if(rset, lines.end(), [](const std::string& l) { return l.rfind("MAIL FROM", 0) == 0; }), 1)
      << "RSET comes between the two transactions";
}

TEST(ConnectionCache, AConnectionTheServerClosedIsReplacedTransparently) {
  SmtpPeerOptions options;
  options.close_after_messages = 1;  // the peer hangs up after each message, as on an idle timeout
  SmtpPeer peer(options);
  ConnectionCache cache;
  EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok1@a.test"))));
  ASSERT_TRUE(peer.wait_for_closed(1));
  TransactionResult second = cache.send(loopback(peer.port()), make_request("ok2@a.test"));
  EXPECT_TRUE(delivered(second)) << second.network_error.value_or("");
  EXPECT_FALSE(second.network_error);
  ASSERT_TRUE(peer.wait_for_messages(2));
  EXPECT_EQ(peer.transcripts().size(), 2u);
}

TEST(ConnectionCache, IdleConnectionsAreClosedWithQuit) {
  SmtpPeer peer;
  ReuseLimits limits;
  limits.idle = 50ms;
  ConnectionCache cache(limits);
  EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok@a.test"))));
  std::this_thread::sleep_for(100ms);
  cache.close_idle();
  EXPECT_EQ(cache.idle_count(), 0u);
  ASSERT_TRUE(peer.wait_for_closed(1));
  EXPECT_EQ(peer.transcripts().at(0).back(), "QUIT");
}

TEST(ConnectionCache, AConnectionCarriesAtMostMaxTransactions) {
  SmtpPeer peer;
  ReuseLimits limits;
  limits.max_transactions = 2;
  ConnectionCache cache(limits);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok@a.test"))));
  ASSERT_TRUE(peer.wait_for_closed(1));
  auto transcripts = peer.transcripts();
  ASSERT_EQ(transcripts.size(), 2u);
  EXPECT_EQ(count(transcripts[0], "MAIL FROM"), 2);
  EXPECT_EQ(transcripts[0].back(), "QUIT");
}

TEST(ConnectionCache, DifferentEhloNamesOrTlsModesNeverShareAConnection) {
  SmtpPeerOptions options;
  options.starttls = true;
  SmtpPeer peer(options);
  ConnectionCache cache;
  TransactionRequest other_name = make_request("ok@a.test");
  other_name.helo_name = "other.test";
  EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok@a.test"))));
  EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), other_name)));
  EXPECT_TRUE(delivered(cache.send(loopback(peer.port()), make_request("ok@a.test", TlsMode::opportunistic))));
  EXPECT_EQ(peer.transcripts().size(), 3u);
  EXPECT_EQ(cache.idle_count(), 3u);
}

TEST(ConnectionCache, TlsIsNegotiatedOnceAndKeptForLaterMessages) {
  SmtpPeerOptions options;
  options.starttls = true;
  SmtpPeer peer(options);
  ConnectionCache cache;
  for (int i = 0; i < 2; ++i) {
    TransactionResult r = cache.send(loopback(peer.port()), make_request("ok@a.test", TlsMode::opportunistic));
    EXPECT_TRUE(delivered(r));
    EXPECT_TRUE(r.used_tls);
  }
  ASSERT_TRUE(peer.wait_for_messages(2));
  auto messages = peer.messages();
  EXPECT_TRUE(messages[0].tls && messages[1].tls);
  auto transcripts = peer.transcripts();
  ASSERT_EQ(transcripts.size(), 1u);
  EXPECT_EQ(count(transcripts[0], "STARTTLS"), 1);
}

TEST(ConnectionCache, A421DropsTheConnectionInsteadOfKeepingIt) {
  SmtpPeer peer;
  ConnectionCache cache;
  TransactionResult r = cache.send(loopback(peer.port()), make_request("421@a.test"));
  ASSERT_TRUE(r.session_reply);
  EXPECT_EQ(r.session_reply->code, 421);
  EXPECT_EQ(cache.idle_count(), 0u);
}

}  // namespace
}  // namespace tern::smtp
