// raw_message_test.cpp - inspecting and completing client-built messages.
#include "mailer/raw_message.hpp"

#include <gtest/gtest.h>

namespace tern::mailer {
namespace {

using namespace std::string_literals;

const std::string kMessage =
    "From: =?UTF-8?B?SsO8cmdlbg==?= <juergen@acme.test>\r\n"
    "To: a@example.test\r\n"
    "Bcc: hidden@example.test\r\n"
    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
    " aus Tern\r\n"
    "Message-ID: <abc@client.test>\r\n"
    "\r\n"
    "Hello\r\n";

TEST(RawMessage, ReadsTheFactsTernRecords) {
  auto facts = inspect_raw_message(kMessage);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->from, "Jürgen <juergen@acme.test>");
  EXPECT_EQ(facts->from_address, "juergen@acme.test");
  EXPECT_EQ(facts->subject, "Grüße aus Tern");
  EXPECT_EQ(facts->message_id, std::optional<std::string>("<abc@client.test>"));
  EXPECT_FALSE(facts->has_date);
}

TEST(RawMessage, FromInOtherCommonForms) {
  auto comment = inspect_raw_message("From: juergen@acme.test (J)\r\n\r\nx\r\n");
  ASSERT_TRUE(comment) << comment.error().message;
  EXPECT_EQ(comment->from_address, "juergen@acme.test");
  auto quoted = inspect_raw_message("From: \"Acme, Inc.\" <a@acme.test>\r\n\r\n");
  ASSERT_TRUE(quoted) << quoted.error().message;
  EXPECT_EQ(quoted->from_address, "a@acme.test");
}

TEST(RawMessage, NonUtf8SubjectIsKeptStorable) {
  auto facts = inspect_raw_message("From: a@acme.test\r\nSubject: caf\xe9\r\n\r\n");
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->subject, "caf?");
}

TEST(RawMessage, RefusesWhatCannotBeSignedOrWouldInject) {
  EXPECT_FALSE(inspect_raw_message("To: a@example.test\r\n\r\nno from\r\n"));
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test\r\nFrom: b@acme.test\r\n\r\n"));
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test, b@acme.test\r\n\r\n"));
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test\r\nSubject: x\rBcc: y@z.test\r\n\r\n")) << "bare CR";
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test\r\n\r\nbody\rmore\r\n")) << "bare CR in the body";
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test\r\nX: \0\r\n\r\n"s));
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test\r\nX: " + std::string(1000, 'x') + "\r\n\r\n"));
  EXPECT_FALSE(inspect_raw_message("From: a@acme.test\r\nMessage-ID: not-an-id\r\n\r\n"));
  EXPECT_FALSE(inspect_raw_message("not a header line\r\n\r\n"));
  EXPECT_TRUE(inspect_raw_message("From: a@acme.test\r\n\r\n" + std::string(5000, 'x') + "\r\n"))
      << "body lines are the line reader's business";
}

TEST(RawMessage, CompletionRemovesBccAndAddsOnlyWhatIsMissing) {
  const auto date = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  std::string out = complete_raw_message(kMessage, date, "<tern@tern.test>");
  EXPECT_EQ(out.rfind("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nFrom:", 0), 0u) << out;
  EXPECT_EQ(out.find("Bcc"), std::string::npos);
  EXPECT_EQ(out.find("hidden@"), std::string::npos);
  EXPECT_EQ(out.find("tern@tern.test"), std::string::npos) << "the client's Message-ID is kept";
  EXPECT_NE(out.find("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n aus Tern\r\n"), std::string::npos) << "bytes kept";
  EXPECT_EQ(out.substr(out.size() - 9), "\r\nHello\r\n");

  std::string dated = "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nFrom: a@acme.test\r\n\r\nx\r\n";
  EXPECT_EQ(complete_raw_message(dated, date, "<id@tern.test>"), "Message-ID: <id@tern.test>\r\n" + dated);
}

}  // namespace
}  // namespace tern::mailer
