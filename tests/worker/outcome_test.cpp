// The failure policy, one table row per rule of outcome.hpp.
#include "worker/outcome.hpp"

#include <gtest/gtest.h>

namespace tern::worker {
namespace {

smtp::Reply reply(int code, std::string text = "x") {
  smtp::Reply r;
  r.code = code;
  r.lines = {std::move(text)};
  return r;
}

smtp::TransactionResult accepted_rcpts(std::vector<std::pair<std::string, int>> rcpts) {
  smtp::TransactionResult r;
  r.stage = smtp::Stage::rcpt_to;
  for (auto& [a, c] : rcpts) r.recipients.push_back({a, reply(c)});
  return r;
}

TEST(Outcome, RouteClasses) {
  dns::Route route;
  route.status = dns::RouteStatus::null_mx;
  EXPECT_EQ(classify_route(route, "a@x").verdict, Verdict::bounced);
  EXPECT_EQ(classify_route(route, "a@x").reply.enhanced, "5.1.10");
  route.status = dns::RouteStatus::no_such_domain;
  EXPECT_EQ(classify_route(route, "a@x").verdict, Verdict::bounced);
  route.status = dns::RouteStatus::temporary_failure;
  EXPECT_EQ(classify_route(route, "a@x").verdict, Verdict::deferred);
  route.status = dns::RouteStatus::no_addresses;
  EXPECT_EQ(classify_route(route, "a@x").verdict, Verdict::deferred);
}

TEST(Outcome, PerRecipientAtRcptAndAfterDot) {
  auto r = accepted_rcpts({{"ok@x", 250}, {"temp@x", 451}, {"gone@x", 550}, {"many@x", 552}});
  r.stage = smtp::Stage::quit;
  r.data_end_reply = reply(250, "queued");
  auto out = classify_transaction(r, {"ok@x", "temp@x", "gone@x", "many@x"}, "mx.x");
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].verdict, Verdict::delivered);
  EXPECT_EQ(out[0].reply.code, 250);
  EXPECT_EQ(out[0].reply.host, "mx.x");
  EXPECT_EQ(out[1].verdict, Verdict::deferred);
  EXPECT_EQ(out[2].verdict, Verdict::bounced);
  EXPECT_EQ(out[3].verdict, Verdict::deferred) << "552 on RCPT is read as 452";
}

TEST(Outcome, FinalReplyDecidesForAcceptedRecipients) {
  auto r = accepted_rcpts({{"a@x", 250}, {"b@x", 250}});
  r.data_end_reply = reply(554, "content rejected");
  auto out = classify_transaction(r, {"a@x", "b@x"}, "mx");
  EXPECT_EQ(out[0].verdict, Verdict::bounced);
  EXPECT_EQ(out[1].verdict, Verdict::bounced);
  r.data_end_reply = reply(451);
  out = classify_transaction(r, {"a@x", "b@x"}, "mx");
  EXPECT_EQ(out[0].verdict, Verdict::deferred);
}

TEST(Outcome, NoFinalReplyMeansDeferred) {
  auto r = accepted_rcpts({{"a@x", 250}});
  r.network_error = "connection reset";
  r.stage = smtp::Stage::data_end;
  EXPECT_FALSE(host_failed(r)) << "recipients were already decided at this host";
  auto out = classify_transaction(r, {"a@x"}, "mx");
  EXPECT_EQ(out[0].verdict, Verdict::deferred);
  EXPECT_NE(out[0].reply.text.find("connection reset"), std::string::npos);
}

TEST(Outcome, HostLevelFailures) {
  smtp::TransactionResult refused;
  refused.network_error = "connection refused";
  EXPECT_TRUE(host_failed(refused));

  smtp::TransactionResult greeting_5xx;
  greeting_5xx.stage = smtp::Stage::greeting;
  greeting_5xx.session_reply = reply(554);
  EXPECT_TRUE(host_failed(greeting_5xx)) << "skip a 5xx greeting, try the next MX";

  smtp::TransactionResult busy;
  busy.stage = smtp::Stage::mail_from;
  busy.session_reply = reply(421);
  EXPECT_TRUE(host_failed(busy));

  smtp::TransactionResult mail_5xx;
  mail_5xx.stage = smtp::Stage::mail_from;
  mail_5xx.session_reply = reply(550, "sender rejected");
  EXPECT_FALSE(host_failed(mail_5xx));
  auto out = classify_transaction(mail_5xx, {"a@x", "b@x"}, "mx");
  EXPECT_EQ(out[0].verdict, Verdict::bounced);
  EXPECT_EQ(out[1].verdict, Verdict::bounced);
}

TEST(Outcome, DataRefusedAfterRcptBouncesOrDefersAll) {
  auto r = accepted_rcpts({{"a@x", 250}});
  r.stage = smtp::Stage::data;
  r.session_reply = reply(421, "closing");
  auto out = classify_transaction(r, {"a@x"}, "mx");
  EXPECT_EQ(out[0].verdict, Verdict::deferred);
}

TEST(Outcome, EnhancedCodeIsKept) {
  smtp::Reply rr = reply(550, "5.1.1 user unknown");
  rr.enhanced = smtp::EnhancedCode{5, 1, 1};
  auto stored = to_remote_reply(rr, "mx");
  EXPECT_EQ(stored.code, 550);
  EXPECT_EQ(stored.enhanced, "5.1.1");
}

}  // namespace
}  // namespace tern::worker
