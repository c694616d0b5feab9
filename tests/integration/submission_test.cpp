// SMTP submission with swaks (Debian's stock SMTP test client) and a plain
// TCP client: a message sent with STARTTLS or implicit TLS and AUTH is
// delivered, visible through the API and reported to webhooks exactly as an
// API send; every refusal gets its code.
#include "tests/integration/submission_scenario.hpp"
#include "tests/peers/webhook_receiver.hpp"

#include "store/redis/api_key_store.hpp"

namespace tern::testing {
namespace {

const std::vector<std::string> kMessage = {"--from", "sender@acme.test", "--to", "alice@example.test",
                                           "--header", "Subject: Hello over SMTP", "--body", "Hi from swaks"};

TEST_F(SubmissionScenario, SwaksWithStarttlsIsDeliveredAndReportedLikeAnApiSend) {
  WebhookReceiver hooks;
  start_submission({{"TERN_WEBHOOK_ALLOW_PRIVATE", "true"}});
  auto hook = tern->post("/webhooks", token,
                         R"({"endpoint":")" + hooks.url() + R"(","events":["email.sent","email.delivered"]})");
  ASSERT_TRUE(hook.status == 200 || hook.status == 201) << hook.body;

  auto sent = swaks(token, kMessage);
  ASSERT_EQ(sent.status, 0) << sent.output;
  const std::string id = queued_id(sent.output);
  ASSERT_FALSE(id.empty()) << sent.output;
  EXPECT_NE(sent.output.find("250 STARTTLS"), std::string::npos) << sent.output;
  EXPECT_NE(sent.output.find("235 2.7.0"), std::string::npos) << sent.output;

  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  ASSERT_TRUE(peer->wait_for_messages(1));
  const auto message = peer->messages()[0];
  EXPECT_EQ(message.recipients, std::vector<std::string>{"alice@example.test"});
  EXPECT_NE(message.data.find("Subject: Hello over SMTP\r\n"), std::string::npos) << message.data;
  EXPECT_NE(message.data.find("Hi from swaks"), std::string::npos);

  auto got = tern->get("/emails/" + id, token).json();
  EXPECT_EQ(got["subject"], "Hello over SMTP");
  EXPECT_EQ(got["from"], "sender@acme.test");
  EXPECT_EQ(got["to"][0], "alice@example.test");

  ASSERT_TRUE(hooks.wait_for_count(2)) << tern->log();
  std::vector<std::string> types;
  for (const auto& r : hooks.requests()) {
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["data"]["email_id"], id);
    types.push_back(body["type"]);
  }
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"email.delivered", "email.sent"}));
}

TEST_F(SubmissionScenario, SwaksWithImplicitTlsIsQueued) {
  start_submission();
  auto sent = swaks(token, kMessage, /*implicit_tls=*/true);
  ASSERT_EQ(sent.status, 0) << sent.output;
  const std::string id = queued_id(sent.output);
  ASSERT_FALSE(id.empty()) << sent.output;
  EXPECT_EQ(sent.output.find("STARTTLS"), std::string::npos) << "no STARTTLS under TLS";
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
}

TEST_F(SubmissionScenario, AuthLoginIsAcceptedAndCountedLikeAnApiSend) {
  start_submission();
  auth_mechanism = "LOGIN";
  auto sent = swaks(token, kMessage);
  ASSERT_EQ(sent.status, 0) << sent.output;
  EXPECT_NE(sent.output.find("334 VXNlcm5hbWU6"), std::string::npos) << "the LOGIN prompts:\n" << sent.output;
  EXPECT_NE(sent.output.find("235 2.7.0"), std::string::npos) << sent.output;
  const std::string id = queued_id(sent.output);
  ASSERT_FALSE(id.empty()) << sent.output;
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  auto metrics = tern->get("/metrics", token);
  EXPECT_NE(metrics.body.find("\ntern_emails_accepted_total 1\n"), std::string::npos) << metrics.body;
}

TEST_F(SubmissionScenario, AnotherUserNameIs535UnlessConfigured) {
  start_submission();
  auth_user = "postmaster";
  auto wrong_user = swaks(token, kMessage);
  EXPECT_NE(wrong_user.status, 0);
  EXPECT_NE(wrong_user.output.find("535 5.7.8"), std::string::npos) << wrong_user.output;
  EXPECT_EQ(queued_id(wrong_user.output), "");
}

TEST_F(SubmissionScenario, AnyUserNameWhenTheSettingIsAStar) {
  start_submission({{"TERN_SUBMISSION_USER", "*"}});
  auth_user = "wordpress";
  auto sent = swaks(token, kMessage);
  EXPECT_FALSE(queued_id(sent.output).empty()) << sent.output;
}

TEST_F(SubmissionScenario, OutsideDevModeAnUnverifiedFromDomainIsRefused) {
  start_submission({{"TERN_DEV", "false"}});
  auto sent = swaks(token, kMessage);
  EXPECT_NE(sent.status, 0);
  EXPECT_NE(sent.output.find("550 5.7.1"), std::string::npos) << sent.output;
  EXPECT_EQ(queued_id(sent.output), "");
}

TEST_F(SubmissionScenario, NonAsciiLocalPartsGet553AndUtf8HeadersPass) {
  start_submission();
  auto sender = swaks(token, {"--from", "j\xc3\xb6rg@acme.test", "--to", "alice@example.test"});
  EXPECT_NE(sender.output.find("553 5.6.7"), std::string::npos) << sender.output;
  EXPECT_EQ(queued_id(sender.output), "");
  auto rcpt = swaks(token, {"--from", "sender@acme.test", "--to", "m\xc3\xbcller@example.test"});
  EXPECT_NE(rcpt.output.find("553 5.6.7"), std::string::npos) << rcpt.output;
  auto utf8 = swaks(token, {"--from", "sender@acme.test", "--to", "alice@example.test", "--header",
                            "Subject: Gr\xc3\xbc\xc3\x9f""e"});
  EXPECT_FALSE(queued_id(utf8.output).empty()) << utf8.output;
}

TEST_F(SubmissionScenario, BeforeTlsOnlyTheHandshakeIsOffered) {
  start_submission();
  PlainSmtp c(starttls_port);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.reply().substr(0, 4), "220 ");
  const std::string ehlo = c.command("EHLO client.test");
  for (const char* cap : {"PIPELINING", "SIZE ", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "STARTTLS"})
    EXPECT_NE(ehlo.find(cap), std::string::npos) << cap << "\n" << ehlo;
  EXPECT_EQ(ehlo.find("AUTH"), std::string::npos) << "AUTH only after TLS:\n" << ehlo;
  EXPECT_EQ(c.command("AUTH PLAIN AHJlc2VuZAB4").substr(0, 10), "538 5.7.11");
  EXPECT_EQ(c.command("MAIL FROM:<sender@acme.test>").substr(0, 9), "530 5.7.0");
  EXPECT_EQ(c.command("RCPT TO:<alice@example.test>").substr(0, 9), "503 5.5.1");
  EXPECT_EQ(c.command("DATA").substr(0, 9), "503 5.5.1");
  EXPECT_EQ(c.command("FROBNICATE").substr(0, 9), "500 5.5.2");
  EXPECT_EQ(c.command("EHLO").substr(0, 9), "501 5.5.4");
  EXPECT_EQ(c.command("STARTTLS now").substr(0, 9), "501 5.5.4");
  EXPECT_EQ(c.command(std::string(2000, 'x')).substr(0, 9), "500 5.5.2");
  EXPECT_TRUE(c.closed()) << "a line over the limit ends the session";
}

TEST_F(SubmissionScenario, TooManyBadCommandsEndTheSession) {
  start_submission();
  PlainSmtp c(starttls_port);
  c.reply();
  std::string last;
  for (int i = 0; i < 10; ++i) last = c.command("BOGUS");
  EXPECT_EQ(last.substr(0, 9), "500 5.5.2");
  last = c.reply();
  EXPECT_NE(last.find("421 4.7.0"), std::string::npos) << last;
  EXPECT_TRUE(c.closed());
}

TEST_F(SubmissionScenario, WrongKeyIs535AndRepeatedFailuresAreThrottled) {
  start_submission();
  auto wrong = swaks("re_not_a_key", kMessage);
  EXPECT_NE(wrong.status, 0);
  EXPECT_NE(wrong.output.find("535 5.7.8"), std::string::npos) << wrong.output;
  EXPECT_EQ(queued_id(wrong.output), "");
  for (int i = 1; i < 10; ++i) swaks("re_not_a_key_" + std::to_string(i), kMessage);
  auto blocked = swaks(token, kMessage);
  EXPECT_NE(blocked.output.find("421 4.7.0"), std::string::npos) << "even the right key, after 10 failures:\n"
                                                                << blocked.output;
  EXPECT_EQ(queued_id(blocked.output), "");
}

TEST_F(SubmissionScenario, LimitsHaveTheirCodes) {
  start_submission({{"TERN_SUBMISSION_MAX_SIZE", "65536"}});
  std::string body;
  for (int i = 0; i < 1000; ++i) body += std::string(70, 'a') + "\n";
  auto big = swaks(token, {"--from", "sender@acme.test", "--to", "alice@example.test", "--body", body});
  EXPECT_NE(big.output.find("552 5.3.4"), std::string::npos) << big.output.substr(big.output.size() - 500);
  EXPECT_EQ(queued_id(big.output), "");

  std::string many;
  for (int i = 0; i < 51; ++i) many += (i ? "," : "") + std::string("r") + std::to_string(i) + "@example.test";
  auto crowd = swaks(token, {"--from", "sender@acme.test", "--to", many, "--body", "x"});
  EXPECT_NE(crowd.output.find("452 4.5.3"), std::string::npos) << crowd.output;

  auto no_from = swaks(token, {"--from", "sender@acme.test", "--to", "alice@example.test", "--data",
                               "Subject: no From header\n\nbody\n"});
  EXPECT_NE(no_from.output.find("550 5.6.0"), std::string::npos) << no_from.output;
  EXPECT_EQ(queued_id(no_from.output), "");
}

TEST_F(SubmissionScenario, KeyLimitedToADomainMaySendOnlyFromIt) {
  start_submission();
  auto domain = tern->post("/domains", token, R"({"name":"acme.test"})");
  ASSERT_TRUE(domain.status == 200 || domain.status == 201) << domain.body;
  RedisEndpoint endpoint;
  endpoint.port = redis.port();
  store::RedisPool pool(endpoint);
  auto key = store::ApiKeyStore(pool).create("smtp", "team-a", store::Permission::sending_access,
                                             domain.json()["id"].get<std::string>());
  ASSERT_TRUE(key);

  auto other = swaks(key->token, {"--from", "sender@other.test", "--to", "alice@example.test"});
  EXPECT_NE(other.output.find("550 5.7.1"), std::string::npos) << other.output;
  EXPECT_EQ(queued_id(other.output), "");
  auto forged = swaks(key->token, {"--from", "sender@acme.test", "--to", "alice@example.test", "--data",
                                   "From: ceo@other.test\nSubject: x\n\nbody\n"});
  EXPECT_NE(forged.output.find("550 5.7.1"), std::string::npos) << "the From header is checked too:\n"
                                                               << forged.output;
  auto own = swaks(key->token, kMessage);
  EXPECT_FALSE(queued_id(own.output).empty()) << own.output;
}

TEST_F(SubmissionScenario, SessionsPerClientAddressAreCapped) {
  start_submission({{"TERN_SUBMISSION_MAX_CLIENT_SESSIONS", "2"}});
  PlainSmtp a(starttls_port), b(starttls_port);
  EXPECT_EQ(a.reply().substr(0, 4), "220 ");
  EXPECT_EQ(b.reply().substr(0, 4), "220 ");
  PlainSmtp c(starttls_port);
  EXPECT_EQ(c.reply().substr(0, 9), "421 4.3.2");
  EXPECT_EQ(a.command("QUIT").substr(0, 3), "221");
  EXPECT_TRUE(a.closed());
  EXPECT_TRUE(wait_until([&] {
    PlainSmtp d(starttls_port);
    return d.reply().substr(0, 4) == "220 ";
  })) << "a slot is free again once a session ends";
}

TEST_F(SubmissionScenario, SilentClientIsDisconnected) {
  start_submission({{"TERN_SUBMISSION_TIMEOUT", "1s"}});
  PlainSmtp c(starttls_port);
  EXPECT_EQ(c.reply().substr(0, 4), "220 ");
  EXPECT_TRUE(c.closed()) << "the command timeout closes the connection";
}

}  // namespace
}  // namespace tern::testing
