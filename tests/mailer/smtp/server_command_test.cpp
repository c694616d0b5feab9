// server_command_test.cpp - inbound command line parsing.
#include "mailer/smtp/server_command.hpp"

#include <gtest/gtest.h>

namespace tern::smtp {
namespace {

TEST(ServerCommand, SplitsVerbAndArgument) {
  auto c = parse_server_command("ehlo  mx.example.org ");
  EXPECT_EQ(c.verb, "EHLO");
  EXPECT_EQ(c.argument, "mx.example.org");
  auto q = parse_server_command("QUIT");
  EXPECT_EQ(q.verb, "QUIT");
  EXPECT_EQ(q.argument, "");
  EXPECT_EQ(parse_server_command("").verb, "");
}

TEST(ServerCommand, ReadsPathsAndSize) {
  auto from = parse_path_argument("FROM:<> SIZE=1234 BODY=8BITMIME", "FROM");
  ASSERT_TRUE(from);
  EXPECT_EQ(from->path, "");
  EXPECT_EQ(from->size, std::optional<uint64_t>(1234));
  EXPECT_EQ(from->params, "SIZE=1234 BODY=8BITMIME");
  auto to = parse_path_argument("to: <bounces+abc@mail.test>", "TO");
  ASSERT_TRUE(to);
  EXPECT_EQ(to->path, "bounces+abc@mail.test");
  EXPECT_FALSE(to->size);
  auto routed = parse_path_argument("TO:<@relay.test:user@host.test>", "TO");
  ASSERT_TRUE(routed);
  EXPECT_EQ(routed->path, "user@host.test");
}

TEST(ServerCommand, RefusesMalformedPaths) {
  EXPECT_FALSE(parse_path_argument("TO:user@host", "TO"));
  EXPECT_FALSE(parse_path_argument("TO:<user@host", "TO"));
  EXPECT_FALSE(parse_path_argument("FROM:<a@b>", "TO"));
  EXPECT_FALSE(parse_path_argument("TO:<a\x01@b>", "TO"));
  EXPECT_FALSE(parse_path_argument("TO:<" + std::string(300, 'a') + "@b>", "TO"));
  EXPECT_FALSE(parse_path_argument("TO", "TO"));
}

}  // namespace
}  // namespace tern::smtp
