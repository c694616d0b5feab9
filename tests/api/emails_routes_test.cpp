// emails_routes_test.cpp - GET /emails, PATCH /emails/{id},
// POST /emails/{id}/cancel, natural-language schedules and attachments,
// over HTTP against a real Redis.
#include "api/emails_routes.hpp"
#include "api/attachments.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"
#include "tests/api/api_test_server.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;
using test_support::email_json;

class EmailsRouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<tern::testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override { server_ = std::make_unique<test_support::ApiTestServer>(*redis_, ApiOptions{}, senders_); }

  std::string send(Json body) {
    auto answer = server_->call("POST", "/emails", body.dump());
    EXPECT_EQ(answer.status, 200) << answer.raw;
    return answer.body.value("id", "");
  }

  std::string scheduled(const std::string& when = "in 1 hour") {
    Json body = email_json();
    body["scheduled_at"] = when;
    return send(body);
  }

  bool in_delayed_set(const std::string& id) {
    return !store::run(server_->pool(), {"ZSCORE", std::string(store::keys::kDelayedSet), id})->is_nil();
  }

  static std::unique_ptr<tern::testing::RedisServer> redis_;
  AllowAllSenders senders_;
  std::unique_ptr<test_support::ApiTestServer> server_;
};

std::unique_ptr<tern::testing::RedisServer> EmailsRouteTest::redis_;

TEST_F(EmailsRouteTest, ListShapeNewestFirst) {
  Json first = email_json("a@example.org", "first");
  first["cc"] = "c@example.org";
  const std::string a = send(first);
  const std::string b = send(email_json("b@example.org", "second"));
  auto list = server_->call("GET", "/emails");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["object"], "list");
  EXPECT_EQ(list.body["has_more"], false);
  ASSERT_EQ(list.body["data"].size(), 2u);
  const Json& newest = list.body["data"][0];
  EXPECT_EQ(newest["id"], b);
  EXPECT_EQ(list.body["data"][1]["id"], a);
  for (const char* key : {"id", "message_id", "to", "from", "created_at", "subject", "bcc", "cc", "reply_to",
                          "last_event", "scheduled_at"})
    EXPECT_TRUE(newest.contains(key)) << key;
  for (const char* key : {"object", "html", "text", "tags"}) EXPECT_FALSE(newest.contains(key)) << key;
  EXPECT_EQ(newest["to"], Json::array({"b@example.org"}));
  EXPECT_TRUE(newest["cc"].is_null());
  EXPECT_EQ(list.body["data"][1]["cc"], Json::array({"c@example.org"}));
  EXPECT_EQ(newest["last_event"], "sent");
  // Other teams see nothing.
  EXPECT_TRUE(server_->call("GET", "/emails", "", server_->other_token).body["data"].empty());
}

TEST_F(EmailsRouteTest, ListPagination) {
  std::vector<std::string> ids;  // newest first
  for (int i = 0; i < 5; ++i) ids.insert(ids.begin(), send(email_json("a@example.org", "n" + std::to_string(i))));
  auto page1 = server_->call("GET", "/emails?limit=2");
  ASSERT_EQ(page1.body["data"].size(), 2u);
  EXPECT_EQ(page1.body["has_more"], true);
  EXPECT_EQ(page1.body["data"][0]["id"], ids[0]);
  auto page2 = server_->call("GET", "/emails?limit=2&after=" + ids[1]);
  EXPECT_EQ(page2.body["data"][0]["id"], ids[2]);
  EXPECT_EQ(page2.body["data"][1]["id"], ids[3]);
  auto page3 = server_->call("GET", "/emails?limit=2&after=" + ids[3]);
  EXPECT_EQ(page3.body["data"].size(), 1u);
  EXPECT_EQ(page3.body["has_more"], false);
  auto back = server_->call("GET", "/emails?limit=2&before=" + ids[2]);
  EXPECT_EQ(back.body["data"][0]["id"], ids[0]);
  EXPECT_EQ(back.body["data"][1]["id"], ids[1]);
  EXPECT_EQ(back.body["has_more"], false);
  EXPECT_EQ(server_->call("GET", "/emails").body["data"].size(), 5u);  // default limit 20
}

TEST_F(EmailsRouteTest, ListRefusesBadPagination) {
  for (const char* query : {"?limit=0", "?limit=101", "?limit=ten", "?limit=-1"}) {
    auto answer = server_->call("GET", std::string("/emails") + query);
    EXPECT_EQ(answer.status, 422) << query;
    EXPECT_EQ(answer.body["name"], "validation_error");
    EXPECT_EQ(answer.body["message"],
              "The pagination limit must be a number between 1 and 100. See https://resend.com/docs/pagination for "
              "more information.");
  }
  auto both = server_->call("GET", "/emails?after=a&before=b");
  EXPECT_EQ(both.status, 422);
  EXPECT_EQ(both.body["name"], "validation_error");
}

TEST_F(EmailsRouteTest, NaturalLanguageScheduleIsAccepted) {
  const std::string id = scheduled("tomorrow at 9am");
  auto email = server_->call("GET", "/emails/" + id);
  EXPECT_EQ(email.body["last_event"], "scheduled");
  EXPECT_NE(email.body["scheduled_at"].get<std::string>().find(" 09:00:00"), std::string::npos) << email.raw;
  Json far = email_json();
  far["scheduled_at"] = "in 31 days";
  auto refused = server_->call("POST", "/emails", far.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body["name"], "validation_error");
}

TEST_F(EmailsRouteTest, RescheduleWhileScheduled) {
  const std::string id = scheduled();
  auto changed = server_->call("PATCH", "/emails/" + id, R"({"scheduled_at":"in 2 days"})");
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body, (Json{{"object", "email"}, {"id", id}}));
  auto iso = server_->call("PATCH", "/emails/" + id, R"({"scheduled_at":"2099-01-01T00:00:00Z"})");
  EXPECT_EQ(iso.status, 422);  // more than 30 days ahead
  EXPECT_TRUE(in_delayed_set(id));
  EXPECT_EQ(server_->call("PATCH", "/emails/" + id, "{}").body["name"], "missing_required_field");
  EXPECT_EQ(server_->call("PATCH", "/emails/" + id, R"({"scheduled_at":"someday"})").body["name"], "validation_error");
  EXPECT_EQ(server_->call("PATCH", "/emails/nope", R"({"scheduled_at":"in 1 min"})").body["name"], "invalid_parameter");
  EXPECT_EQ(server_->call("PATCH", "/emails/" + id, R"({"scheduled_at":"in 1 min"})", server_->other_token).status,
            404);
}

TEST_F(EmailsRouteTest, SentEmailsCannotBeRescheduledOrCanceled) {
  const std::string id = send(email_json());
  auto patch = server_->call("PATCH", "/emails/" + id, R"({"scheduled_at":"in 1 hour"})");
  EXPECT_EQ(patch.status, 422);
  EXPECT_EQ(patch.body["name"], "validation_error");
  auto cancel = server_->call("POST", "/emails/" + id + "/cancel");
  EXPECT_EQ(cancel.status, 422);
  EXPECT_EQ(cancel.body["name"], "validation_error");
}

TEST_F(EmailsRouteTest, CancelAScheduledEmail) {
  const std::string id = scheduled();
  auto canceled = server_->call("POST", "/emails/" + id + "/cancel");  // no body, as Node sends it
  ASSERT_EQ(canceled.status, 200) << canceled.raw;
  EXPECT_EQ(canceled.body, (Json{{"object", "email"}, {"id", id}}));
  EXPECT_FALSE(in_delayed_set(id));
  EXPECT_EQ(server_->call("GET", "/emails/" + id).body["last_event"], "canceled");
  EXPECT_EQ(server_->call("POST", "/emails/" + id + "/cancel").status, 422);
  EXPECT_EQ(server_->call("POST", "/emails/" + scheduled() + "/cancel", "", server_->other_token).status, 404);
}

TEST_F(EmailsRouteTest, AttachmentsAreStoredWithTheEmail) {
  Json body = email_json();
  body["attachments"] = Json::array({Json{{"filename", "invoice.pdf"}, {"content", base64_encode("%PDF-1.4")}},
                                     Json{{"filename", "logo.png"}, {"content", Json::array({137, 80, 78, 71})},
                                          {"content_id", "logo"}}});
  const std::string id = send(body);
  auto stored = store::EmailStore(server_->pool()).get_any(id);
  ASSERT_TRUE(stored && *stored);
  const auto& attachments = (*stored)->content.attachments;
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(attachments[0].content, "%PDF-1.4");
  EXPECT_EQ(attachments[0].content_type, "application/pdf");
  EXPECT_EQ(attachments[1].content, "\x89PNG");
  EXPECT_EQ(attachments[1].content_id, "logo");
  // GET /emails/{id} keeps Resend's shape (no attachment bodies in it).
  auto email = server_->call("GET", "/emails/" + id);
  EXPECT_FALSE(email.body.contains("attachments"));
}

TEST_F(EmailsRouteTest, AttachmentErrorsUseInvalidAttachment) {
  Json remote = email_json();
  remote["attachments"] = Json::array({Json{{"path", "https://example.com/a.pdf"}, {"filename", "a.pdf"}}});
  auto refused = server_->call("POST", "/emails", remote.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body["name"], "invalid_attachment");
  Json empty = email_json();
  empty["attachments"] = Json::array({Json{{"filename", "a.pdf"}}});
  auto missing = server_->call("POST", "/emails", empty.dump());
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.body["message"], "Attachment must have either a `content` or `path`.");
}

TEST(EmailsBodyLimit, LeavesRoomFor40MiBOfAttachmentsInBase64) {
  // Past the body limit httplib answers a bare 413; below it the 40 MiB
  // rule answers Resend's invalid_attachment. So the default body limit
  // must hold 40 MiB of base64 plus the JSON around it. (Sending 53 MiB
  // through an ASan build here would take most of a minute of CI.)
  const std::size_t base64_of_limit = (kMaxAttachmentBytes + 2) / 3 * 4;
  EXPECT_GT(ApiOptions{}.max_body_bytes, base64_of_limit + 1024 * 1024);
}

}  // namespace
}  // namespace tern::api
