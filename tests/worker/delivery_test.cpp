// attempt_delivery over scripted seams (a table Resolver and a send
// function): grouping by domain, MX fallback, events, retry and expiry.
// The real SMTP session and resolver are exercised in tests/integration.
#include "worker/delivery.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tern::worker {
namespace {

using namespace std::chrono_literals;

class TableResolver : public dns::Resolver {
 public:
  std::map<std::string, dns::MxLookup> mx_answers;
  std::map<std::string, dns::AddressLookup> address_answers;
  dns::MxLookup mx(std::string_view d) override {
    auto it = mx_answers.find(std::string(d));
    return it != mx_answers.end() ? it->second : dns::MxLookup{dns::LookupStatus::nxdomain, {}, "nx"};
  }
  dns::AddressLookup addresses(std::string_view h) override {
    auto it = address_answers.find(std::string(h));
    return it != address_answers.end() ? it->second : dns::AddressLookup{dns::LookupStatus::nxdomain, {}, "nx"};
  }
  dns::TxtLookup txt(std::string_view) override { return {dns::LookupStatus::nodata, {}, ""}; }
};

smtp::Reply reply(int code) {
  smtp::Reply r;
  r.code = code;
  r.lines = {"scripted"};
  return r;
}

store::StoredEmail email_to(std::vector<std::string> to, std::vector<std::string> bcc = {}) {
  store::StoredEmail e;
  e.content.id = "00000000-0000-4000-8000-000000000001";
  e.content.team = "t";
  e.content.from = "Acme <a@sender.test>";
  e.content.to = std::move(to);
  e.content.bcc = std::move(bcc);
  e.content.subject = "s";
  e.content.text = "t";
  e.content.message_id = "<m@tern.test>";
  e.content.created_at = TimePoint{} + 1000h;
  e.state = store::initial_state(e.content);
  return e;
}

class DeliveryTest : public ::testing::Test {
 protected:
  TableResolver resolver;
  DeliveryConfig config;
  std::mt19937_64 rng{7};
  std::vector<std::pair<smtp::Endpoint, std::vector<std::string>>> calls;
  std::function<smtp::TransactionResult(const smtp::Endpoint&, const smtp::TransactionRequest&)> script;

  void SetUp() override {
    config.hostname = "tern.test";
    config.allow_private_mx = true;
    config.retry.steps = {1min};
    config.retry.max_queue_age = 1h;
    resolver.mx_answers["x.test"] = {dns::LookupStatus::ok, {{10, "mx1.x.test"}, {20, "mx2.x.test"}}, ""};
    resolver.address_answers["mx1.x.test"] = {dns::LookupStatus::ok, {"127.0.0.1"}, ""};
    resolver.address_answers["mx2.x.test"] = {dns::LookupStatus::ok, {"127.0.0.2"}, ""};
    resolver.mx_answers["y.test"] = {dns::LookupStatus::ok, {{0, "."}}, ""};
  }

  AttemptResult run(const store::StoredEmail& e, TimePoint now) {
    DeliveryContext ctx{resolver, config,
                        [&](const smtp::Endpoint& ep, const smtp::TransactionRequest& req) {
                          calls.push_back({ep, req.envelope.recipients});
                          EXPECT_EQ(req.envelope.mail_from, "a@sender.test");
                          EXPECT_EQ(std::string(req.message).find("Bcc:"), std::string::npos);
                          return script(ep, req);
                        },
                        rng};
    return attempt_delivery(e, ctx, now);
  }
};

smtp::TransactionResult all(const smtp::TransactionRequest& req, int rcpt, int final_code) {
  smtp::TransactionResult r;
  r.stage = smtp::Stage::quit;
  for (const auto& a : req.envelope.recipients) r.recipients.push_back({a, reply(rcpt)});
  if (rcpt < 300) r.data_end_reply = reply(final_code);
  return r;
}

TEST_F(DeliveryTest, DeliversAndReportsOnce) {
  script = [](auto&, auto& req) { return all(req, 250, 250); };
  auto e = email_to({"a@x.test", "b@X.test"}, {"hidden@x.test"});
  auto r = run(e, e.content.created_at + 1s);
  ASSERT_EQ(calls.size(), 1u) << "one transaction per domain";
  EXPECT_EQ(calls[0].second.size(), 3u);
  EXPECT_EQ(calls[0].first.address, "127.0.0.1");
  EXPECT_TRUE(r.state.finished());
  EXPECT_EQ(r.state.last_event, "delivered");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].type, "email.delivered");
  EXPECT_FALSE(r.retry_at);
}

TEST_F(DeliveryTest, FallsBackToNextMxOnConnectionFailure) {
  script = [](const smtp::Endpoint& ep, auto& req) {
    if (ep.host_name == "mx1.x.test") {
      smtp::TransactionResult r;
      r.network_error = "connection refused";
      return r;
    }
    return all(req, 250, 250);
  };
  auto e = email_to({"a@x.test"});
  auto r = run(e, e.content.created_at + 1s);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].first.host_name, "mx2.x.test");
  EXPECT_EQ(r.state.recipients[0].status, store::RecipientStatus::delivered);
}

TEST_F(DeliveryTest, NullMxBouncesWithoutConnecting) {
  script = [](auto&, auto& req) { return all(req, 250, 250); };
  auto e = email_to({"a@y.test", "b@x.test"});
  auto r = run(e, e.content.created_at + 1s);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(r.state.recipients[0].status, store::RecipientStatus::bounced);
  EXPECT_EQ(r.state.recipients[0].last_reply->enhanced, "5.1.10");
  EXPECT_EQ(r.state.recipients[1].status, store::RecipientStatus::delivered);
}

TEST_F(DeliveryTest, DeferralReportsDelayedOnceThenFailsAtExpiry) {
  script = [](auto&, auto& req) { return all(req, 451, 0); };
  auto e = email_to({"a@x.test"});
  auto first = run(e, e.content.created_at + 1s);
  ASSERT_TRUE(first.retry_at);
  EXPECT_EQ(first.state.last_event, "delivery_delayed");
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].type, "email.delivery_delayed");

  e.state = first.state;
  auto second = run(e, e.content.created_at + 2min);
  ASSERT_TRUE(second.retry_at);
  EXPECT_TRUE(second.events.empty()) << "delivery_delayed is reported once per email";

  e.state = second.state;
  auto last = run(e, e.content.created_at + 2h);
  EXPECT_FALSE(last.retry_at);
  EXPECT_EQ(last.state.recipients[0].status, store::RecipientStatus::failed);
  EXPECT_EQ(last.state.recipients[0].last_reply->code, 451);
  EXPECT_EQ(last.state.last_event, "failed");
}

TEST_F(DeliveryTest, OnlyPendingRecipientsAreRetried) {
  int attempt = 0;
  script = [&](auto&, const smtp::TransactionRequest& req) {
    ++attempt;
    smtp::TransactionResult r;
    for (const auto& a : req.envelope.recipients)
      r.recipients.push_back({a, reply(attempt == 1 && a == "b@x.test" ? 451 : 250)});
    r.data_end_reply = reply(250);
    return r;
  };
  auto e = email_to({"a@x.test", "b@x.test"});
  auto first = run(e, e.content.created_at + 1s);
  e.state = first.state;
  auto second = run(e, e.content.created_at + 2min);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].second, std::vector<std::string>{"b@x.test"});
  EXPECT_TRUE(second.state.finished());
}

TEST_F(DeliveryTest, RelayOverridesMx) {
  config.relay = HostPort{"127.0.0.9", 2525};
  script = [](auto&, auto& req) { return all(req, 250, 250); };
  auto e = email_to({"a@y.test"});
  run(e, e.content.created_at + 1s);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].first.address, "127.0.0.9");
  EXPECT_EQ(calls[0].first.port, 2525);
}

TEST_F(DeliveryTest, PrivateMxAddressesAreRefusedUnlessAllowed) {
  config.allow_private_mx = false;
  script = [](auto&, auto& req) { return all(req, 250, 250); };
  auto e = email_to({"a@x.test"});
  auto r = run(e, e.content.created_at + 1s);
  EXPECT_TRUE(calls.empty()) << "no connection to loopback MX";
  EXPECT_EQ(r.state.recipients[0].status, store::RecipientStatus::deferred);
}

}  // namespace
}  // namespace tern::worker

namespace tern::worker {
namespace {

class CountingGate : public DestinationGate {
 public:
  int window = 1;
  int inside = 0;
  std::vector<std::pair<std::string, bool>> left;
  std::optional<std::string> enter(const std::string&) override {
    if (inside >= window) return std::nullopt;
    ++inside;
    return std::string("t");
  }
  void leave(const std::string& d, const std::string&, bool failure) override {
    --inside;
    left.push_back({d, failure});
  }
};

TEST_F(DeliveryTest, AScheduledEmailIsReportedSentWhenFirstAttempted) {
  script = [](auto&, auto& req) { return all(req, 250, 250); };
  auto e = email_to({"a@x.test"});
  e.state.last_event = "scheduled";
  auto r = run(e, e.content.created_at + 1s);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].type, "email.sent");
  EXPECT_EQ(r.events[0].recipients, std::vector<std::string>{"a@x.test"});
  EXPECT_EQ(r.events[1].type, "email.delivered");
  EXPECT_EQ(r.state.last_event, "delivered");
  // An email sent at once already had its email.sent from the API.
  e.state.last_event = "sent";
  calls.clear();
  auto again = run(e, e.content.created_at + 1s);
  ASSERT_EQ(again.events.size(), 1u);
  EXPECT_EQ(again.events[0].type, "email.delivered");
}

TEST_F(DeliveryTest, BusyDestinationThrottlesWithoutCountingAnAttempt) {
  CountingGate gate;
  gate.inside = 1;  // someone else holds the only slot
  script = [](auto&, auto& req) { return all(req, 250, 250); };
  auto e = email_to({"a@x.test"});
  DeliveryContext ctx{resolver, config, [&](auto& ep, auto& req) { return script(ep, req); }, rng, nullptr, &gate};
  auto r = attempt_delivery(e, ctx, e.content.created_at + 1s);
  EXPECT_EQ(r.state.attempts, 0);
  EXPECT_EQ(r.state.recipients[0].status, store::RecipientStatus::queued);
  EXPECT_TRUE(r.events.empty());
  ASSERT_TRUE(r.retry_at);
  EXPECT_LE(*r.retry_at - (e.content.created_at + 1s), 5s);
}

TEST_F(DeliveryTest, GateIsLeftWithTheHostOutcome) {
  CountingGate gate;
  script = [](const smtp::Endpoint&, auto&) {
    smtp::TransactionResult r;
    r.network_error = "connection refused";
    return r;
  };
  auto e = email_to({"a@x.test"});
  DeliveryContext ctx{resolver, config, [&](auto& ep, auto& req) { return script(ep, req); }, rng, nullptr, &gate};
  attempt_delivery(e, ctx, e.content.created_at + 1s);
  ASSERT_EQ(gate.left.size(), 1u);
  EXPECT_EQ(gate.left[0].first, "mx1.x.test,mx2.x.test") << "the destination is the MX host set";
  EXPECT_TRUE(gate.left[0].second);
  EXPECT_EQ(gate.inside, 0);
}

}  // namespace
}  // namespace tern::worker
