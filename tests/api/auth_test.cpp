// auth_test.cpp - bearer parsing and route access (pure parts; the key
// lookup itself runs against Redis in http_server_test).
#include "api/auth.hpp"

#include <gtest/gtest.h>

namespace tern::api {
namespace {

TEST(AuthTest, BearerTokenIsExtracted) {
  auto token = parse_bearer(std::string_view("Bearer re_abc123"));
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, "re_abc123");
  EXPECT_EQ(*parse_bearer(std::string_view("bearer re_x")), "re_x");
  EXPECT_EQ(*parse_bearer(std::string_view("  Bearer   re_y  ")), "re_y");
}

TEST(AuthTest, MissingOrEmptyIsMissingApiKey) {
  for (std::optional<std::string_view> header :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>("Bearer"), std::optional<std::string_view>("Bearer   "),
        std::optional<std::string_view>("Basic dXNlcjpwdw=="), std::optional<std::string_view>("Bearerre_x")}) {
    auto token = parse_bearer(header);
    ASSERT_FALSE(token) << (header ? *header : "<none>");
    EXPECT_EQ(token.error().status, 401);
    EXPECT_EQ(token.error().name, "missing_api_key");
  }
}

TEST(AuthTest, SendingAccessKeyIsRestrictedToSending) {
  RequestContext sending{"team", store::Permission::sending_access, "k", ""};
  RequestContext full{"team", store::Permission::full_access, "k", ""};
  EXPECT_TRUE(check_access(sending, Access::sending));
  EXPECT_TRUE(check_access(sending, Access::none));
  auto refused = check_access(sending, Access::full);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 401);
  EXPECT_EQ(refused.error().name, "restricted_api_key");
  EXPECT_TRUE(check_access(full, Access::full));
  EXPECT_TRUE(check_access(full, Access::sending));
}

}  // namespace
}  // namespace tern::api
