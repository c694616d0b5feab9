// email_view_test.cpp - the GET /emails/{id} object, key for key.
#include "api/email_view.hpp"

#include <gtest/gtest.h>

namespace tern::api {
namespace {

store::StoredEmail sample() {
  store::StoredEmail e;
  e.content.id = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";
  e.content.team = "team-1";
  e.content.from = "Acme <onboarding@example.com>";
  e.content.to = {"delivered@example.org"};
  e.content.subject = "Hello World";
  e.content.html = "Congrats";
  e.content.message_id = "<111-222-333@email.example.com>";
  e.content.created_at = from_unix_ms(1775254422674);
  e.content.tags = {store::Tag{"category", "confirm_email"}};
  e.state.last_event = "delivered";
  return e;
}

TEST(EmailViewTest, MatchesResendShapeAndOrder) {
  auto view = email_view(sample());
  EXPECT_EQ(view.dump(),
            R"({"object":"email","id":"4ef9a417-02e9-4d39-ad75-9611e0fcc33c",)"
            R"("message_id":"<111-222-333@email.example.com>","to":["delivered@example.org"],)"
            R"("from":"Acme <onboarding@example.com>","created_at":")" +
                format_resend_timestamp(from_unix_ms(1775254422674)) +
                R"(","subject":"Hello World","html":"Congrats","text":null,"bcc":[],"cc":[],"reply_to":[],)"
                R"("last_event":"delivered","scheduled_at":null,)"
                R"("tags":[{"name":"category","value":"confirm_email"}],"topic_id":null})");
}

TEST(EmailViewTest, ScheduledAtAndListsAreFilled) {
  auto e = sample();
  e.content.scheduled_at = from_unix_ms(1775254422674 + 60000);
  e.content.cc = {"c@example.org"};
  e.content.reply_to = {"r@example.org"};
  e.content.text = "plain";
  e.state.last_event = "scheduled";
  auto view = email_view(e);
  EXPECT_EQ(view["scheduled_at"], format_resend_timestamp(*e.content.scheduled_at));
  EXPECT_EQ(view["cc"], nlohmann::ordered_json::array({"c@example.org"}));
  EXPECT_EQ(view["reply_to"], nlohmann::ordered_json::array({"r@example.org"}));
  EXPECT_EQ(view["text"], "plain");
  EXPECT_EQ(view["last_event"], "scheduled");
}

TEST(EmailViewTest, OnlyResendLastEventValuesAreEmitted) {
  EXPECT_EQ(last_event_for_api("sent"), "sent");
  EXPECT_EQ(last_event_for_api("delivery_delayed"), "delivery_delayed");
  EXPECT_EQ(last_event_for_api("something_new"), "queued");
  EXPECT_EQ(last_event_for_api(""), "queued");
}

}  // namespace
}  // namespace tern::api
