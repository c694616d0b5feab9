// client_test.cpp - send_transaction end to end: against the scriptable peer
// for the happy path and envelope handling, and once against Postfix's
// smtp-sink, an independent real SMTP server.
#include "mailer/smtp/client.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/peers/process.hpp"
#include "tests/peers/smtp_peer.hpp"

namespace tern::smtp {
namespace {

using tern::testing::SmtpPeer;
using tern::testing::SmtpPeerOptions;

const char kMessage[] =
    "From: sender@example.com\r\n"
    "To: ok@example.org\r\n"
    "Subject: dots\r\n"
    "\r\n"
    "Hello from Tern.\r\n"
    ".starts with a dot\r\n"
    "..two dots\r\n"
    "\r\n.\r\n"
    "after a lone dot line\r\n"
    ".\r\n";

TransactionRequest make_request(std::vector<std::string> recipients, std::string_view message = kMessage) {
  TransactionRequest request;
  request.helo_name = "client.test";
  request.envelope = {"sender@example.com", std::move(recipients)};
  request.message = message;
  request.tls = TlsMode::disabled;
  request.timeouts = SmtpTimeouts::all(std::chrono::seconds(10));
  return request;
}

Endpoint loopback(uint16_t port) { return Endpoint{"localhost", "127.0.0.1", port}; }

TEST(SmtpClient, HappyPathDeliversTheExactBytes) {
  SmtpPeer peer;
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@example.org"}));

  EXPECT_FALSE(result.network_error) << *result.network_error;
  EXPECT_FALSE(result.session_reply);
  EXPECT_EQ(result.stage, Stage::quit);
  EXPECT_FALSE(result.used_tls);
  ASSERT_EQ(result.recipients.size(), 1u);
  EXPECT_EQ(result.recipients[0].recipient, "ok@example.org");
  EXPECT_EQ(result.recipients[0].reply.code, 250);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  ASSERT_TRUE(result.data_end_reply->enhanced);
  EXPECT_EQ(result.data_end_reply->enhanced->to_string(), "2.0.0");

  ASSERT_TRUE(peer.wait_for_messages(1));
  std::vector<tern::testing::ReceivedMessage> messages = peer.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].data, kMessage);
  EXPECT_EQ(messages[0].mail_from, "sender@example.com");
  EXPECT_EQ(messages[0].recipients, std::vector<std::string>{"ok@example.org"});
  EXPECT_EQ(messages[0].helo, "client.test");
}

TEST(SmtpClient, SendsCommandsInOrderAndQuits) {
  SmtpPeer peer;
  send_transaction(loopback(peer.port()), make_request({"ok@example.org", "ok2@example.org"}));
  ASSERT_TRUE(peer.wait_for_closed(1));
  auto transcripts = peer.transcripts();
  ASSERT_EQ(transcripts.size(), 1u);
  EXPECT_EQ(transcripts[0], (std::vector<std::string>{"EHLO client.test", "MAIL FROM:<sender@example.com>",
                                                     "RCPT TO:<ok@example.org>", "RCPT TO:<ok2@example.org>",
                                                     "DATA", "QUIT"}));
}

TEST(SmtpClient, BareLineEndingsAreNormalisedOnTheWire) {
  SmtpPeer peer;
  std::string message = "Subject: lf\n\nline one\n.\nline\rthree";
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@example.org"}, message));
  ASSERT_FALSE(result.network_error);
  ASSERT_TRUE(peer.wait_for_messages(1));
  EXPECT_EQ(peer.messages()[0].data, "Subject: lf\r\n\r\nline one\r\n.\r\nline\r\nthree\r\n");
}

TEST(SmtpClient, EmptyMessage) {
  SmtpPeer peer;
  TransactionResult result = send_transaction(loopback(peer.port()), make_request({"ok@example.org"}, ""));
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  ASSERT_TRUE(peer.wait_for_messages(1));
  EXPECT_EQ(peer.messages()[0].data, "");
}

TEST(SmtpClient, NullReversePath) {
  SmtpPeer peer;
  TransactionRequest request = make_request({"ok@example.org"});
  request.envelope.mail_from = "";
  TransactionResult result = send_transaction(loopback(peer.port()), request);
  ASSERT_TRUE(result.data_end_reply);
  ASSERT_TRUE(peer.wait_for_messages(1));
  EXPECT_EQ(peer.messages()[0].mail_from, "");
}

TEST(SmtpClient, SizeIsDeclaredWhenOffered) {
  SmtpPeerOptions options;
  options.size_limit = 1000000;
  SmtpPeer peer(options);
  send_transaction(loopback(peer.port()), make_request({"ok@example.org"}));
  ASSERT_TRUE(peer.wait_for_closed(1));
  std::string mail = peer.transcripts()[0].at(1);
  EXPECT_EQ(mail.rfind("MAIL FROM:<sender@example.com> SIZE=", 0), 0u) << mail;
}

TEST(SmtpClient, ManyTransactionsInParallel) {
  SmtpPeer peer;
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<TransactionResult> results(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[i] = send_transaction(loopback(peer.port()), make_request({"ok" + std::to_string(i) + "@example.org"}));
    });
  }
  for (std::thread& t : threads) t.join();
  for (const TransactionResult& r : results) {
    ASSERT_TRUE(r.data_end_reply);
    EXPECT_EQ(r.data_end_reply->code, 250);
  }
  EXPECT_TRUE(peer.wait_for_messages(kThreads));
  EXPECT_EQ(peer.messages().size(), static_cast<std::size_t>(kThreads));
}

TEST(SmtpClient, StageNames) {
  EXPECT_STREQ(to_string(Stage::connect), "connect");
  EXPECT_STREQ(to_string(Stage::rcpt_to), "rcpt_to");
  EXPECT_STREQ(to_string(Stage::data_end), "data_end");
  EXPECT_STREQ(to_string(Stage::quit), "quit");
}

// --- a real, independent SMTP server: Postfix's smtp-sink -------------------

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// dumped_messages - the contents of every capture file smtp-sink wrote.
std::string dumped_messages(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename() != "sink.log") all += read_file(entry.path());
  }
  return all;
}

TEST(SmtpClientRealServer, PostfixSmtpSinkReceivesTheMessage) {
  std::string sink = tern::testing::find_program("smtp-sink");
  if (sink.empty()) GTEST_SKIP() << "smtp-sink not installed (Debian package: postfix)";
  tern::testing::TempDir dir;
  chmod(dir.path().c_str(), 0777);  // smtp-sink drops to `nobody` when started as root
  uint16_t port = tern::testing::free_loopback_port();
  std::vector<std::string> argv = {sink, "-d", dir.path() + "/%M.", "127.0.0.1:" + std::to_string(port), "10"};
  if (geteuid() == 0) argv.insert(argv.begin() + 1, {"-u", "nobody"});
  tern::testing::ChildProcess process(argv, dir.path() + "/sink.log");
  ASSERT_TRUE(tern::testing::wait_until([&] { return tern::testing::can_connect(port); })) << process.log();

  TransactionRequest request = make_request({"rcpt1@example.org", "rcpt2@example.org"});
  request.tls = TlsMode::opportunistic;  // smtp-sink offers no STARTTLS: plaintext is the right outcome
  TransactionResult result = send_transaction(loopback(port), request);

  ASSERT_FALSE(result.network_error) << *result.network_error;
  ASSERT_EQ(result.recipients.size(), 2u);
  EXPECT_EQ(result.recipients[0].reply.code, 250);
  EXPECT_EQ(result.recipients[1].reply.code, 250);
  ASSERT_TRUE(result.data_end_reply);
  EXPECT_EQ(result.data_end_reply->code, 250);
  EXPECT_FALSE(result.used_tls);

  // The dump has LF line ends and the message un-stuffed.
  std::string dump;
  bool seen = tern::testing::wait_until([&] {
    dump = dumped_messages(dir.path());
    return dump.find("after a lone dot line\n.\n") != std::string::npos;
  });
  ASSERT_TRUE(seen) << dump << process.log();
  EXPECT_NE(dump.find("X-Mail-Args: <sender@example.com>"), std::string::npos) << dump;
  EXPECT_NE(dump.find("X-Rcpt-Args: <rcpt2@example.org>"), std::string::npos) << dump;
  EXPECT_NE(dump.find("\n.starts with a dot\n..two dots\n\n.\nafter"), std::string::npos) << dump;
}

}  // namespace
}  // namespace tern::smtp
