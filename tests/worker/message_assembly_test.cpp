// message_assembly_test.cpp - stored email to the bytes sent; here the
// submitted (raw) form, which is sent as the client built it.
#include "worker/message_assembly.hpp"

#include <gtest/gtest.h>

namespace tern::worker {
namespace {

store::EmailContent submitted(std::string raw) {
  store::EmailContent c;
  c.id = "0b5c8a4e-5c7e-4c58-9d7c-3b9b0a1f2e3d";
  c.team = "team-a";
  c.from = "Acme <support@acme.test>";
  c.to = {"alice@example.test"};
  c.subject = "ignored for raw messages";
  c.text = "ignored too";
  c.message_id = "<0b5c8a4e@tern.test>";
  c.created_at = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  c.raw_mime = std::move(raw);
  return c;
}

TEST(MessageAssembly, RawMessageIsSentAsBuiltWithMissingDateAndMessageIdAdded) {
  const std::string raw =
      "From: Acme <support@acme.test>\r\nTo: alice@example.test\r\nBcc: secret@example.test\r\n"
      "Subject: Hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xc3\xa9t\xc3\xa9\r\n.dot line\r\n";
  auto out = assemble_message(submitted(raw));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out,
            "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <0b5c8a4e@tern.test>\r\n"
            "From: Acme <support@acme.test>\r\nTo: alice@example.test\r\n"
            "Subject: Hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xc3\xa9t\xc3\xa9\r\n.dot line\r\n");
}

TEST(MessageAssembly, RawMessageWithItsOwnHeadersIsUnchanged) {
  const std::string raw =
      "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <own@client.test>\r\nFrom: support@acme.test\r\n\r\nx\r\n";
  auto out = assemble_message(submitted(raw));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, raw);
}

TEST(MessageAssembly, ApiEmailsAreStillBuilt) {
  auto c = submitted("");
  c.raw_mime.reset();
  auto out = assemble_message(c);
  ASSERT_TRUE(out);
  EXPECT_NE(out->find("Subject: ignored for raw messages"), std::string::npos);
}

}  // namespace
}  // namespace tern::worker
