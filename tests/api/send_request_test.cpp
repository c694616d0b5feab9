// send_request_test.cpp - every validation path of POST /emails' body.
#include "api/send_request.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

Json minimal() {
  return Json{{"from", "Acme <onboarding@example.com>"}, {"to", "a@example.org"}, {"subject", "hello"},
              {"html", "<p>hi</p>"}};
}

ApiResult<SendRequest> parse(const Json& body) { return parse_send_request(body.dump()); }

// expect_error - the body is refused with this status, name and (part of the) message.
void expect_error(const Json& body, int status, std::string_view name, std::string_view message_part = "") {
  auto result = parse(body);
  ASSERT_FALSE(result) << body.dump();
  EXPECT_EQ(result.error().status, status) << body.dump() << " -> " << result.error().message;
  EXPECT_EQ(result.error().name, name) << body.dump() << " -> " << result.error().message;
  if (!message_part.empty()) {
    EXPECT_NE(result.error().message.find(message_part), std::string::npos)
        << "got '" << result.error().message << "', want it to contain '" << message_part << "'";
  }
}

Json with(Json body, const std::string& key, Json value) {
  body[key] = std::move(value);
  return body;
}

Json without(Json body, const std::string& key) {
  body.erase(key);
  return body;
}

TEST(SendRequestTest, MinimalRequestIsAccepted) {
  auto r = parse(minimal());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "Acme <onboarding@example.com>");
  EXPECT_EQ(r->from_domain, "example.com");
  EXPECT_EQ(r->to, std::vector<std::string>{"a@example.org"});
  EXPECT_EQ(r->subject, "hello");
  EXPECT_EQ(r->html, "<p>hi</p>");
  EXPECT_FALSE(r->text);
  EXPECT_TRUE(r->cc.empty());
  EXPECT_FALSE(r->scheduled_at);
}

TEST(SendRequestTest, ToAsStringOrArray) {
  auto one = parse(with(minimal(), "to", "x@example.org"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->to.size(), 1u);
  auto many = parse(with(minimal(), "to", Json::array({"x@example.org", "Y <y@example.org>"})));
  ASSERT_TRUE(many) << many.error().message;
  EXPECT_EQ(many->to, (std::vector<std::string>{"x@example.org", "Y <y@example.org>"}));
}

TEST(SendRequestTest, MissingRequiredFieldsUseResendNames) {
  expect_error(Json::object(), 422, "missing_required_field", "Missing `to` field.");
  expect_error(without(minimal(), "to"), 422, "missing_required_field", "Missing `to` field.");
  expect_error(with(minimal(), "to", Json::array()), 422, "missing_required_field", "Missing `to` field.");
  expect_error(with(minimal(), "to", nullptr), 422, "missing_required_field", "Missing `to` field.");
  expect_error(without(minimal(), "from"), 422, "missing_required_field", "Missing `from` field.");
  expect_error(with(minimal(), "from", ""), 422, "missing_required_field", "Missing `from` field.");
  expect_error(without(minimal(), "subject"), 422, "missing_required_field", "Missing `subject` field.");
  expect_error(with(minimal(), "subject", nullptr), 422, "missing_required_field", "Missing `subject` field.");
}

TEST(SendRequestTest, EmptyBodyReportsMissingTo) {
  auto r = parse_send_request("");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().name, "missing_required_field");
}

TEST(SendRequestTest, HtmlOrTextIsRequired) {
  expect_error(without(minimal(), "html"), 422, "validation_error", "`html` or `text`");
  expect_error(with(minimal(), "html", nullptr), 422, "validation_error", "`html` or `text`");
  auto text_only = parse(with(without(minimal(), "html"), "text", "plain"));
  ASSERT_TRUE(text_only);
  EXPECT_EQ(text_only->text, "plain");
  EXPECT_FALSE(text_only->html);
  auto both = parse(with(minimal(), "text", ""));  // "" opts out of generated text
  ASSERT_TRUE(both);
  EXPECT_EQ(both->text, "");
}

TEST(SendRequestTest, InvalidFromIsInvalidFromAddress) {
  expect_error(with(minimal(), "from", "not an address"), 422, "invalid_from_address", "`email@example.com`");
  expect_error(with(minimal(), "from", "a@"), 422, "invalid_from_address");
  expect_error(with(minimal(), "from", 42), 422, "invalid_from_address");
}

TEST(SendRequestTest, InvalidRecipientsAreValidationErrors) {
  expect_error(with(minimal(), "to", "nope"), 422, "validation_error", "Invalid `to` field.");
  expect_error(with(minimal(), "to", Json::array({"a@example.org", "bad"})), 422, "validation_error",
               "Invalid `to` field.");
  expect_error(with(minimal(), "to", Json::array({"a@example.org", 7})), 422, "validation_error", "`to`");
  expect_error(with(minimal(), "to", 7), 422, "validation_error", "`to`");
  expect_error(with(minimal(), "cc", "bad"), 422, "validation_error", "Invalid `cc` field.");
  expect_error(with(minimal(), "bcc", Json::array({"bad"})), 422, "validation_error", "Invalid `bcc` field.");
  expect_error(with(minimal(), "reply_to", "bad"), 422, "validation_error", "Invalid `reply_to` field.");
}

TEST(SendRequestTest, OptionalListsAcceptStringArrayAndNull) {
  Json body = minimal();
  body["cc"] = "c@example.org";
  body["bcc"] = Json::array({"b@example.org"});
  body["reply_to"] = nullptr;
  auto r = parse(body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->cc, std::vector<std::string>{"c@example.org"});
  EXPECT_EQ(r->bcc, std::vector<std::string>{"b@example.org"});
  EXPECT_TRUE(r->reply_to.empty());
}

TEST(SendRequestTest, FiftyRecipientsAcceptedFiftyOneRefused) {
  Json to = Json::array();
  for (int i = 0; i < 40; ++i) to.push_back("to" + std::to_string(i) + "@example.org");
  Json cc = Json::array();
  for (int i = 0; i < 10; ++i) cc.push_back("cc" + std::to_string(i) + "@example.org");
  Json body = with(with(minimal(), "to", to), "cc", cc);
  ASSERT_TRUE(parse(body));
  expect_error(with(body, "bcc", "one-more@example.org"), 422, "validation_error", "Too many recipients");
  Json to51 = Json::array();
  for (int i = 0; i < 51; ++i) to51.push_back("r" + std::to_string(i) + "@example.org");
  expect_error(with(minimal(), "to", to51), 422, "validation_error", "at most 50");
}

TEST(SendRequestTest, LineBreaksAndNulInAddressesAndSubjectAreRefused) {
  for (const std::string& bad : std::vector<std::string>{"\r\n", "\n", "\r", std::string("\0", 1)}) {
    expect_error(with(minimal(), "subject", "hi" + bad + "Bcc: evil@example.net"), 422, "validation_error",
                 "`subject` field must not contain CR, LF or NUL");
    expect_error(with(minimal(), "to", "a@example.org" + bad + "Bcc: x@evil.net"), 422, "validation_error",
                 "`to` field must not contain");
    expect_error(with(minimal(), "cc", Json::array({"c@example.org" + bad})), 422, "validation_error", "`cc`");
    expect_error(with(minimal(), "bcc", "b@example.org" + bad), 422, "validation_error", "`bcc`");
    expect_error(with(minimal(), "reply_to", "r@example.org" + bad), 422, "validation_error", "`reply_to`");
    expect_error(with(minimal(), "from", "Acme" + bad + " <a@example.com>"), 422, "validation_error",
                 "`from` field must not contain");
  }
}

TEST(SendRequestTest, SubjectLimits) {
  ASSERT_TRUE(parse(with(minimal(), "subject", std::string(998, 'x'))));
  expect_error(with(minimal(), "subject", std::string(999, 'x')), 422, "validation_error", "998");
  expect_error(with(minimal(), "subject", 5), 422, "validation_error", "`subject` field must be a string");
  ASSERT_TRUE(parse(with(minimal(), "subject", "")));  // present but empty is a valid subject
}

TEST(SendRequestTest, NonAsciiTextIsKept) {
  Json body = minimal();
  body["subject"] = "Grüße aus Köln 📧";
  body["from"] = "Zoë Ünïcode <zoe@example.com>";
  body["text"] = "Привет";
  auto r = parse(body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->subject, "Grüße aus Köln 📧");
  EXPECT_EQ(r->from, "Zoë Ünïcode <zoe@example.com>");
  EXPECT_EQ(r->text, "Привет");
}

TEST(SendRequestTest, BodiesMustBeStringsWithoutNul) {
  expect_error(with(minimal(), "html", 1), 422, "validation_error", "`html` field must be a string");
  expect_error(with(minimal(), "text", Json::array()), 422, "validation_error", "`text` field must be a string");
  expect_error(with(minimal(), "html", std::string("a\0b", 3)), 422, "validation_error", "NUL");
  expect_error(with(minimal(), "html", std::string(kMaxBodyBytes + 1, 'x')), 422, "validation_error", "10 MB");
  auto multiline = parse(with(minimal(), "text", "line 1\r\nline 2\n"));
  ASSERT_TRUE(multiline);
}

TEST(SendRequestTest, HeadersAreKeptInOrder) {
  Json body = minimal();
  body["headers"] = Json{{"X-Entity-Ref-ID", "123"}, {"List-Unsubscribe", "<https://x/u>"}, {"A-Last", "z"}};
  auto r = parse(body);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->headers.size(), 3u);
  EXPECT_EQ(r->headers[0], (std::pair<std::string, std::string>{"X-Entity-Ref-ID", "123"}));
  EXPECT_EQ(r->headers[2].first, "A-Last");
}

TEST(SendRequestTest, HeaderInjectionIsRefusedNamingTheHeader) {
  expect_error(with(minimal(), "headers", Json{{"X-Ref", "1\r\nBcc: evil@example.net"}}), 422, "validation_error",
               "header `X-Ref` must not contain CR, LF or NUL");
  expect_error(with(minimal(), "headers", Json{{"X-Ref", "1\nX: y"}}), 422, "validation_error", "`X-Ref`");
  expect_error(with(minimal(), "headers", Json{{"X-Ref\r\nBcc", "x"}}), 422, "validation_error",
               "X-Ref\\x0D\\x0ABcc");
  expect_error(with(minimal(), "headers", Json{{"X-Ref", std::string("a\0b", 3)}}), 422, "validation_error",
               "`X-Ref`");
}

TEST(SendRequestTest, BadHeadersAreRefused) {
  expect_error(with(minimal(), "headers", Json{{"From", "x@example.com"}}), 422, "validation_error", "`From`");
  expect_error(with(minimal(), "headers", Json{{"Bad Name", "x"}}), 422, "validation_error", "`Bad Name`");
  expect_error(with(minimal(), "headers", Json{{"X-Num", 5}}), 422, "validation_error", "must be a string");
  expect_error(with(minimal(), "headers", Json::array()), 422, "validation_error", "`headers`");
  Json many = Json::object();
  for (int i = 0; i <= 50; ++i) many["X-H" + std::to_string(i)] = "v";
  expect_error(with(minimal(), "headers", many), 422, "validation_error", "at most 50 headers");
}

TEST(SendRequestTest, TagsAreValidated) {
  auto ok = parse(with(minimal(), "tags", Json::array({Json{{"name", "category"}, {"value", "confirm_email"}},
                                                        Json{{"name", "A-1"}, {"value", "b_2"}}})));
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(ok->tags.size(), 2u);
  EXPECT_EQ(ok->tags[0].name, "category");
  EXPECT_EQ(ok->tags[0].value, "confirm_email");

  const char* kCharset = "Tags should only contain ASCII letters, numbers, underscores, or dashes.";
  expect_error(with(minimal(), "tags", Json::array({Json{{"name", "a b"}, {"value", "x"}}})), 422,
               "validation_error", kCharset);
  expect_error(with(minimal(), "tags", Json::array({Json{{"name", "a"}, {"value", "é"}}})), 422,
               "validation_error", kCharset);
  expect_error(with(minimal(), "tags", Json::array({Json{{"name", "a"}, {"value", 1}}})), 422, "validation_error",
               kCharset);
  expect_error(with(minimal(), "tags", Json::array({Json{{"value", "x"}}})), 422, "missing_required_field",
               "tags.name");
  expect_error(with(minimal(), "tags", Json::array({"x"})), 422, "validation_error", "`tags`");
  expect_error(with(minimal(), "tags", Json::array({Json{{"name", std::string(257, 'a')}, {"value", "x"}}})),
               422, "validation_error", "256");
  ASSERT_TRUE(parse(with(minimal(), "tags", Json::array({Json{{"name", std::string(256, 'a')}, {"value", "x"}}}))));
  Json many = Json::array();
  for (int i = 0; i <= 75; ++i) many.push_back(Json{{"name", "t" + std::to_string(i)}, {"value", "v"}});
  expect_error(with(minimal(), "tags", many), 422, "validation_error", "at most 75 tags");
}

TEST(SendRequestTest, ScheduledAtIsoOrNaturalLanguage) {
  auto r = parse(with(minimal(), "scheduled_at", "2026-08-05T11:52:01.858Z"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->scheduled_at);
  EXPECT_FALSE(r->relative_schedule);
  EXPECT_EQ(format_iso8601(*r->scheduled_at), "2026-08-05T11:52:01.858Z");

  auto relative = parse(with(minimal(), "scheduled_at", "in 1 min"));
  ASSERT_TRUE(relative) << relative.error().message;
  EXPECT_FALSE(relative->scheduled_at);
  const TimePoint now = from_unix_ms(1'780'000'000'000);
  EXPECT_EQ(scheduled_time(*relative, now), now + std::chrono::minutes(1));
  EXPECT_EQ(to_email_content(*relative, "t", "i", "m", now).scheduled_at, now + std::chrono::minutes(1));

  expect_error(with(minimal(), "scheduled_at", "whenever you like"), 422, "validation_error", "`scheduled_at`");
  expect_error(with(minimal(), "scheduled_at", "friday at 3pm ET"), 422, "validation_error", "time zones");
  expect_error(with(minimal(), "scheduled_at", 12), 422, "validation_error", "`scheduled_at`");
  EXPECT_TRUE(parse(with(minimal(), "scheduled_at", nullptr)));
}

TEST(SendRequestTest, NaturalLanguageScheduleIsLimitedToThirtyDays) {
  const TimePoint now = from_unix_ms(1'780'000'000'000);
  auto ok = parse(with(minimal(), "scheduled_at", "in 30 days"));
  ASSERT_TRUE(ok);
  EXPECT_TRUE(check_schedule(*ok, now));
  auto late = parse(with(minimal(), "scheduled_at", "in 31 days"));
  ASSERT_TRUE(late);
  auto refused = check_schedule(*late, now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().name, "validation_error");
}

TEST(SendRequestTest, ScheduleAtMostThirtyDaysAhead) {
  const TimePoint now = from_unix_ms(1'780'000'000'000);
  SendRequest request;
  request.scheduled_at = now + std::chrono::hours(24 * 30);
  EXPECT_TRUE(check_schedule(request, now));
  request.scheduled_at = now + std::chrono::hours(24 * 31);
  auto refused = check_schedule(request, now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().name, "validation_error");
  request.scheduled_at = now - std::chrono::hours(1);
  EXPECT_TRUE(check_schedule(request, now));
}

TEST(SendRequestTest, AttachmentsAreKeptTemplatesAreRefusedNotDropped) {
  auto r = parse(with(minimal(), "attachments", Json::array({Json{{"filename", "a.txt"}, {"content", "eA=="}}})));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->attachments.size(), 1u);
  EXPECT_EQ(r->attachments[0].content, "x");
  EXPECT_EQ(r->attachments[0].content_type, "text/plain");
  EXPECT_EQ(to_email_content(*r, "t", "i", "m", from_unix_ms(0)).attachments.size(), 1u);
  expect_error(with(minimal(), "attachments", Json::array({Json{{"filename", "a.txt"}}})), 422, "invalid_attachment",
               "Attachment must have either a `content` or `path`.");
  EXPECT_TRUE(parse(with(minimal(), "attachments", Json::array())));
  EXPECT_TRUE(parse(with(minimal(), "attachments", nullptr)));
  expect_error(with(minimal(), "template", Json{{"id", "welcome"}}), 422, "validation_error",
               "Templates are not supported yet");
}

TEST(SendRequestTest, UnknownFieldsAreIgnored) {
  Json body = minimal();
  body["topic_id"] = nullptr;
  body["future_field"] = Json{{"x", 1}};
  EXPECT_TRUE(parse(body));
}

TEST(SendRequestTest, DuplicateKeysInBodyAreRefused) {
  auto r = parse_send_request(
      R"({"from":"a@example.com","to":"b@example.org","to":"c@example.org","subject":"s","text":"t"})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().name, "validation_error");
}

TEST(SendRequestTest, ToEmailContentKeepsEverythingAndFutureScheduleOnly) {
  Json body = minimal();
  body["cc"] = "c@example.org";
  body["text"] = "plain";
  body["headers"] = Json{{"X-Ref", "1"}};
  body["tags"] = Json::array({Json{{"name", "k"}, {"value", "v"}}});
  auto r = parse(body);
  ASSERT_TRUE(r);
  const TimePoint now = from_unix_ms(1'780'000'000'000);
  auto content = to_email_content(*r, "team-1", "id-1", "<id-1@mail.test>", now);
  EXPECT_EQ(content.id, "id-1");
  EXPECT_EQ(content.team, "team-1");
  EXPECT_EQ(content.message_id, "<id-1@mail.test>");
  EXPECT_EQ(content.from, r->from);
  EXPECT_EQ(content.cc, std::vector<std::string>{"c@example.org"});
  EXPECT_EQ(content.text, "plain");
  EXPECT_EQ(content.headers.size(), 1u);
  EXPECT_EQ(content.tags.size(), 1u);
  EXPECT_EQ(content.created_at, now);
  EXPECT_FALSE(content.scheduled_at);

  r->scheduled_at = now + std::chrono::minutes(5);
  EXPECT_EQ(to_email_content(*r, "t", "i", "m", now).scheduled_at, now + std::chrono::minutes(5));
  r->scheduled_at = now - std::chrono::minutes(5);
  EXPECT_FALSE(to_email_content(*r, "t", "i", "m", now).scheduled_at);
}

}  // namespace
}  // namespace tern::api
