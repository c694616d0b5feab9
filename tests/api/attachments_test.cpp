// attachments_test.cpp - the attachments field: encodings, descriptors,
// guessing, limits and Resend's error name.
#include "api/attachments.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/util/encoding.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

ApiResult<std::vector<store::Attachment>> read(Json attachments) {
  return read_attachments(Json{{"attachments", std::move(attachments)}});
}

void expect_refused(Json attachments, std::string_view message_part) {
  auto r = read(attachments);
  ASSERT_FALSE(r) << attachments.dump();
  EXPECT_EQ(r.error().status, 422);
  EXPECT_EQ(r.error().name, "invalid_attachment");
  EXPECT_NE(r.error().message.find(message_part), std::string::npos)
      << "got '" << r.error().message << "', want '" << message_part << "'";
}

TEST(Attachments, Base64ContentWithFilenameAndGuessedType) {
  auto r = read(Json::array({Json{{"content", base64_encode("%PDF-1.4")}, {"filename", "invoice.PDF"}}}));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].content, "%PDF-1.4");
  EXPECT_EQ((*r)[0].filename, "invoice.PDF");
  EXPECT_EQ((*r)[0].content_type, "application/pdf");
  EXPECT_EQ((*r)[0].content_id, "");
}

TEST(Attachments, ByteArrayContentAsPythonAndRubySend) {
  auto r = read(Json::array({Json{{"content", Json::array({104, 105, 0, 255})}, {"filename", "a.bin"}}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].content, std::string("hi\0\xff", 4));
  EXPECT_EQ((*r)[0].content_type, "application/octet-stream");
  expect_refused(Json::array({Json{{"content", Json::array({256})}}}), "byte values");
  expect_refused(Json::array({Json{{"content", Json::array({"a"})}}}), "byte values");
  expect_refused(Json::array({Json{{"content", 12}}}), "base64 string");
}

TEST(Attachments, Base64WhitespaceIsIgnoredGarbageIsRefused) {
  auto r = read(Json::array({Json{{"content", "aGVs\r\nbG8="}, {"filename", "h.txt"}}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].content, "hello");
  expect_refused(Json::array({Json{{"content", "not base64!"}, {"filename", "h.txt"}}}), "not valid base64");
}

TEST(Attachments, InlineContentId) {
  auto r = read(Json::array({Json{{"content", "eA=="}, {"filename", "logo.png"}, {"content_id", "<logo-image>"}}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].content_id, "logo-image");
  EXPECT_EQ((*r)[0].content_type, "image/png");
  expect_refused(Json::array({Json{{"content", "eA=="}, {"content_id", std::string(128, 'a')}}}), "content_id");
  expect_refused(Json::array({Json{{"content", "eA=="}, {"content_id", "a b"}}}), "content_id");
  expect_refused(Json::array({Json{{"content", "eA=="}, {"content_id", "a\r\nBcc: x@y"}}}), "content_id");
  EXPECT_TRUE(read(Json::array({Json{{"content", "eA=="}, {"content_id", std::string(127, 'a')}}})));
}

TEST(Attachments, ExplicitContentTypeIsCheckedAndKept) {
  auto r = read(Json::array({Json{{"content", "eA=="}, {"filename", "x.dat"}, {"content_type", "text/csv; charset=utf-8"}}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].content_type, "text/csv; charset=utf-8");
  expect_refused(Json::array({Json{{"content", "eA=="}, {"content_type", "text/plain\r\nBcc: x@y"}}}), "MIME type");
  expect_refused(Json::array({Json{{"content", "eA=="}, {"content_type", "nonsense"}}}), "MIME type");
}

TEST(Attachments, FilenameRules) {
  expect_refused(Json::array({Json{{"content", "eA=="}, {"filename", "a\r\nb.txt"}}}), "control characters");
  expect_refused(Json::array({Json{{"content", "eA=="}, {"filename", std::string(256, 'a')}}}), "255 bytes");
  auto r = read(Json::array({Json{{"content", "eA=="}, {"filename", "résumé.pdf"}}}));
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].filename, "résumé.pdf");
  EXPECT_TRUE(read(Json::array({Json{{"content", "eA=="}, {"filename", false}}})));  // Node types allow false
}

TEST(Attachments, ContentOrPathIsRequiredAndPathIsRefusedForNow) {
  expect_refused(Json::array({Json{{"filename", "a.txt"}}}), "Attachment must have either a `content` or `path`.");
  expect_refused(Json::array({Json{{"path", "https://example.com/logo.png"}, {"filename", "logo.png"}}}),
                 "remote `path` are not supported yet");
  expect_refused(Json::array({Json{{"path", "https://x/a"}, {"content", "eA=="}}}), "not both");
  expect_refused(Json::array({"eA=="}), "must be an object");
  expect_refused(Json{{"content", "eA=="}}, "must be an array");
}

TEST(Attachments, CountAndTotalSizeLimits) {
  Json many = Json::array();
  for (std::size_t i = 0; i <= kMaxAttachments; ++i) many.push_back(Json{{"content", "eA=="}});
  expect_refused(many, "at most 100 attachments");
  many.erase(many.begin());
  EXPECT_TRUE(read(many));

  // Refused from the encoded length, before anything is decoded.
  const std::string over(kMaxAttachmentBytes / 3 * 4 + 8, 'A');
  expect_refused(Json::array({Json{{"content", over}}}), "40 MB");
  // Two attachments that fit alone but not together.
  const std::string half(kMaxAttachmentBytes / 2 + 1, 'x');
  const std::string encoded = base64_encode(half);
  expect_refused(Json::array({Json{{"content", encoded}}, Json{{"content", encoded}}}), "40 MB");
}

TEST(Attachments, AbsentOrNullMeansNone) {
  EXPECT_TRUE(read_attachments(Json::object())->empty());
  EXPECT_TRUE(read(nullptr)->empty());
  EXPECT_TRUE(read(Json::array())->empty());
}

TEST(Attachments, GuessContentType) {
  EXPECT_EQ(guess_content_type("a.pdf"), "application/pdf");
  EXPECT_EQ(guess_content_type("a.PNG"), "image/png");
  EXPECT_EQ(guess_content_type("a.jpg"), "image/jpeg");
  EXPECT_EQ(guess_content_type("a.jpeg"), "image/jpeg");
  EXPECT_EQ(guess_content_type("a.gif"), "image/gif");
  EXPECT_EQ(guess_content_type("notes.txt"), "text/plain");
  EXPECT_EQ(guess_content_type("x.csv"), "text/csv");
  EXPECT_EQ(guess_content_type("x.html"), "text/html");
  EXPECT_EQ(guess_content_type("x.json"), "application/json");
  EXPECT_EQ(guess_content_type("x.zip"), "application/zip");
  EXPECT_EQ(guess_content_type("invite.ics"), "text/calendar");
  EXPECT_EQ(guess_content_type("x.unknown"), "application/octet-stream");
  EXPECT_EQ(guess_content_type("noextension"), "application/octet-stream");
  EXPECT_EQ(guess_content_type("trailingdot."), "application/octet-stream");
}

}  // namespace
}  // namespace tern::api
