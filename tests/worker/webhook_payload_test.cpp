// webhook_payload_test.cpp - Resend's webhook bodies byte for byte, and the
// bounce classification table.
#include "worker/webhook_payload.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tern::worker {
namespace {

TimePoint at(const char* iso) { return *parse_iso8601(iso); }

store::EmailContent sample_email() {
  store::EmailContent c;
  c.id = "56761188-7520-42d8-8898-ff6fc54ce618";
  c.team = "team-a";
  c.from = "Acme <onboarding@example.com>";
  c.to = {"delivered@example.org", "other@example.org"};
  c.subject = "Sending this example";
  c.tags = {{"category", "confirm_email"}};
  c.message_id = "<111-222-333@email.example.com>";
  c.created_at = at("2026-11-22T23:41:11.894Z");
  return c;
}

TEST(WebhookPayload, BouncedEventHasResendsExactShape) {
  store::EmailEvent e{"email.bounced", at("2026-11-22T23:41:12.126Z"), {"delivered@example.org"},
                      store::RemoteReply{550, "5.1.1", "5.1.1 user unknown", "mx.example.org"}};
  EXPECT_EQ(email_payload(sample_email(), e),
            R"({"type":"email.bounced","created_at":"2026-11-22T23:41:12.126Z","data":{)"
            R"("email_id":"56761188-7520-42d8-8898-ff6fc54ce618","created_at":"2026-11-22T23:41:11.894Z",)"
            R"("message_id":"<111-222-333@email.example.com>","from":"Acme <onboarding@example.com>",)"
            R"("to":["delivered@example.org"],"subject":"Sending this example","tags":{"category":"confirm_email"},)"
            R"("bounce":{"type":"Permanent","subType":"NoEmail","message":"5.1.1 user unknown",)"
            R"("diagnosticCode":["smtp; 550 5.1.1 user unknown"]}}})");
}

TEST(WebhookPayload, DeliveredEventHasBaseDataOnly) {
  store::EmailEvent e{"email.delivered", at("2026-11-22T23:41:12.126Z"), {"delivered@example.org"},
                      store::RemoteReply{250, "2.0.0", "2.0.0 ok", "mx.example.org"}};
  EXPECT_EQ(email_payload(sample_email(), e),
            R"({"type":"email.delivered","created_at":"2026-11-22T23:41:12.126Z","data":{)"
            R"("email_id":"56761188-7520-42d8-8898-ff6fc54ce618","created_at":"2026-11-22T23:41:11.894Z",)"
            R"("message_id":"<111-222-333@email.example.com>","from":"Acme <onboarding@example.com>",)"
            R"("to":["delivered@example.org"],"subject":"Sending this example","tags":{"category":"confirm_email"}}})");
}

TEST(WebhookPayload, FailedEventCarriesAReasonAndTagsAreAlwaysAMap) {
  store::EmailContent c = sample_email();
  c.tags.clear();
  store::EmailEvent e{"email.failed", at("2026-11-22T23:41:12.126Z"), {"a@example.org", "b@example.org"},
                      store::RemoteReply{0, "5.6.0", "message could not be built", ""}};
  auto j = nlohmann::json::parse(email_payload(c, e));
  EXPECT_EQ(j["data"]["failed"], (nlohmann::json{{"reason", "message could not be built"}}));
  EXPECT_TRUE(j["data"]["tags"].is_object());
  EXPECT_TRUE(j["data"]["tags"].empty());
  EXPECT_EQ(j["data"]["to"], (nlohmann::json{"a@example.org", "b@example.org"}));
  EXPECT_FALSE(j["data"].contains("bounce"));
}

TEST(WebhookPayload, BounceClassificationTable) {
  struct Case {
    int code;
    const char* enhanced;
    const char* type;
    const char* sub_type;
  };
  const Case cases[] = {
      {550, "5.1.1", "Permanent", "NoEmail"},       {550, "5.1.10", "Permanent", "NoEmail"},
      {553, "5.1.3", "Permanent", "NoEmail"},       {552, "5.2.2", "Permanent", "MailboxFull"},
      {552, "5.3.4", "Permanent", "MessageTooLarge"}, {552, "5.2.3", "Permanent", "MessageTooLarge"},
      {554, "5.6.0", "Permanent", "ContentRejected"}, {550, "5.7.1", "Permanent", "General"},
      {554, "", "Permanent", "General"},            {452, "4.2.2", "Transient", "MailboxFull"},
      {0, "5.1.2", "Permanent", "General"},         {0, "4.4.1", "Transient", "General"},
      {550, "5.x.1", "Permanent", "General"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.code) + " " + c.enhanced);
    BounceInfo b = classify_bounce(store::RemoteReply{c.code, c.enhanced, "text", "mx"});
    EXPECT_EQ(b.type, c.type);
    EXPECT_EQ(b.sub_type, c.sub_type);
    EXPECT_EQ(b.diagnostic_codes.size(), c.code > 0 ? 1u : 0u);
  }
  BounceInfo none = classify_bounce(std::nullopt);
  EXPECT_EQ(none.type, "Undetermined");
  EXPECT_EQ(none.sub_type, "Undetermined");
}

TEST(WebhookPayload, DomainEventWrapsTheGivenData) {
  auto body = domain_payload("domain.created", R"({"id":"d1","name":"example.com","status":"not_started"})",
                             at("2026-11-22T23:41:12.126Z"));
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, R"({"type":"domain.created","created_at":"2026-11-22T23:41:12.126Z",)"
                   R"("data":{"id":"d1","name":"example.com","status":"not_started"}})");
  EXPECT_FALSE(domain_payload("domain.created", "[1]", at("2026-11-22T23:41:12.126Z")));
  EXPECT_FALSE(domain_payload("domain.created", "not json", at("2026-11-22T23:41:12.126Z")));
}

}  // namespace
}  // namespace tern::worker
