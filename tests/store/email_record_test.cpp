#include "store/redis/email_record.hpp"

#include <gtest/gtest.h>

namespace tern::store {
namespace {

TEST(EmailRecord, ContentRoundTrips) {
  EmailContent c;
  c.id = "id1";
  c.team = "t";
  c.from = "Ünïcode <a@example.com>";
  c.to = {"b@example.org"};
  c.subject = "Grüße";
  c.html = "<p>x</p>";
  c.headers = {{"X-A", "1"}};
  c.tags = {{"k", "v"}};
  c.message_id = "<m@h>";
  c.created_at = from_unix_ms(1700000000123);
  c.scheduled_at = from_unix_ms(1700000100000);
  auto back = content_from_json(content_to_json(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->from, c.from);
  EXPECT_EQ(back->subject, c.subject);
  EXPECT_FALSE(back->text.has_value());
  EXPECT_EQ(*back->html, "<p>x</p>");
  EXPECT_EQ(back->headers, c.headers);
  EXPECT_EQ(back->tags[0].value, "v");
  EXPECT_EQ(to_unix_ms(back->created_at), 1700000000123);
  EXPECT_EQ(to_unix_ms(*back->scheduled_at), 1700000100000);
}

TEST(EmailRecord, RawMessageRoundTripsEvenWhenNotUtf8) {
  EmailContent c;
  c.id = "id-1";
  c.team = "t";
  c.from = "a@b.test";
  c.to = {"x@y.test"};
  c.message_id = "<m@b.test>";
  c.raw_mime = std::string("Subject: caf\xe9\r\nFrom: a@b.test\r\n\r\nbody \x80\r\n");
  auto back = content_from_json(content_to_json(c));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(back->raw_mime);
  EXPECT_EQ(*back->raw_mime, *c.raw_mime);
  EmailContent api = c;
  api.raw_mime.reset();
  auto without = content_from_json(content_to_json(api));
  ASSERT_TRUE(without);
  EXPECT_FALSE(without->raw_mime);
  auto summary = content_from_json(summary_to_json(c));
  ASSERT_TRUE(summary);
  EXPECT_FALSE(summary->raw_mime) << "lists never carry the message";
}

TEST(EmailRecord, StateRoundTripsWithReplies) {
  EmailState s;
  s.last_event = "bounced";
  s.recipients = {{"a@b.c", RecipientStatus::bounced, 1, RemoteReply{550, "5.1.1", "user unknown", "mx.b.c"}},
                  {"d@b.c", RecipientStatus::deferred, 2, std::nullopt}};
  auto back = state_from_json(state_to_json(s));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->recipients.size(), 2u);
  EXPECT_EQ(back->recipients[0].last_reply->enhanced, "5.1.1");
  EXPECT_EQ(back->recipients[1].status, RecipientStatus::deferred);
  EXPECT_FALSE(back->finished());
}

TEST(EmailRecord, GarbageIsAnError) {
  EXPECT_FALSE(content_from_json("{"));
  EXPECT_FALSE(state_from_json("{\"last_event\":1}"));
}

TEST(EmailRecord, InitialStateCollapsesDuplicatesAndStripsDisplayNames) {
  EmailContent c;
  c.to = {"A <a@x.org>", "b@x.org"};
  c.cc = {"a@X.org"};
  c.bcc = {"c@x.org"};
  auto s = initial_state(c);
  ASSERT_EQ(s.recipients.size(), 3u);
  EXPECT_EQ(s.recipients[0].address, "a@x.org");
  EXPECT_EQ(s.last_event, "sent");
}

}  // namespace
}  // namespace tern::store
