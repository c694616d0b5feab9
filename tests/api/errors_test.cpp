// errors_test.cpp - the Resend error body and the canonical names.
#include "api/errors.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tern::api {
namespace {

TEST(ErrorsTest, BodyHasExactlyTheThreeResendFields) {
  auto body = nlohmann::json::parse(to_body(missing_required_field("to")));
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(body["statusCode"], 422);
  EXPECT_EQ(body["name"], "missing_required_field");
  EXPECT_EQ(body["message"], "Missing `to` field.");
}

TEST(ErrorsTest, BodyKeepsResendKeyOrder) {
  EXPECT_EQ(to_body(not_found()),
            R"({"statusCode":404,"name":"not_found","message":"The requested endpoint does not exist."})");
}

TEST(ErrorsTest, AuthenticationErrorsUseResendStatusesAndWording) {
  EXPECT_EQ(missing_api_key().status, 401);
  EXPECT_EQ(missing_api_key().message, "Missing API key in the authorization header.");
  EXPECT_EQ(invalid_api_key().status, 403);
  EXPECT_EQ(invalid_api_key().message, "API key is invalid.");
  EXPECT_EQ(restricted_api_key().status, 401);
  EXPECT_EQ(restricted_api_key().name, "restricted_api_key");
}

TEST(ErrorsTest, ValidationAndRoutingErrors) {
  EXPECT_EQ(validation_error("x").status, 422);
  EXPECT_EQ(validation_error("x", 403).status, 403);
  EXPECT_EQ(invalid_from_address().name, "invalid_from_address");
  EXPECT_EQ(invalid_uuid_parameter("id").message, "The `id` must be a valid UUID.");
  EXPECT_EQ(invalid_uuid_parameter("id").status, 422);
  EXPECT_EQ(method_not_allowed().status, 405);
  EXPECT_EQ(method_not_allowed().message, "Method is not allowed for the requested path.");
  EXPECT_EQ(rate_limit_exceeded(10).status, 429);
  EXPECT_NE(rate_limit_exceeded(10).message.find("10 requests per second"), std::string::npos);
  EXPECT_EQ(application_error().status, 500);
  EXPECT_EQ(internal_server_error().name, "internal_server_error");
}

TEST(ErrorsTest, DomainNotVerifiedIs403ValidationErrorNamingTheDomain) {
  ApiError e = domain_not_verified("example.com");
  EXPECT_EQ(e.status, 403);
  EXPECT_EQ(e.name, "validation_error");
  EXPECT_NE(e.message.find("The `example.com` domain is not verified."), std::string::npos);
  EXPECT_NE(e.message.find("/domains"), std::string::npos);
}

TEST(ErrorsTest, EveryConstructorUsesACanonicalName) {
  for (const ApiError& e :
       {missing_api_key(), invalid_api_key(), restricted_api_key(), validation_error("x"),
        missing_required_field("to"), invalid_from_address(), invalid_parameter("x"), domain_not_verified("a.b"),
        not_found(), method_not_allowed(), rate_limit_exceeded(2), application_error(), internal_server_error()}) {
    EXPECT_TRUE(is_canonical_name(e.name)) << e.name;
  }
  EXPECT_FALSE(is_canonical_name("service_unavailable"));
  EXPECT_FALSE(is_canonical_name(""));
}

TEST(ErrorsTest, FromErrorHidesBackendDetails) {
  ApiError e = from_error(Error{Errc::unavailable, "redis 127.0.0.1:6379 connection refused"});
  EXPECT_EQ(e.status, 500);
  EXPECT_EQ(e.name, "application_error");
  EXPECT_EQ(e.message.find("6379"), std::string::npos);
  EXPECT_EQ(from_error(Error{Errc::internal, "bug"}).status, 500);
  EXPECT_EQ(from_error(Error{Errc::invalid_argument, "bad"}).status, 422);
  EXPECT_EQ(from_error(Error{Errc::not_found, "gone"}).status, 404);
}

TEST(ErrorsTest, BodyNeverThrowsOnInvalidUtf8) {
  std::string body;
  EXPECT_NO_THROW(body = to_body(validation_error(std::string("bad \xff byte"))));
  EXPECT_TRUE(nlohmann::json::accept(body));
}

}  // namespace
}  // namespace tern::api
