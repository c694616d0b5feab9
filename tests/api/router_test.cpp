// router_test.cpp - path splitting, 404 vs 405, parameters, "//" tolerance.
#include "api/router.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/routes.hpp"

namespace tern::api {
namespace {

ApiResponse named(std::string name) {
  return ApiResponse{200, nlohmann::json{{"route", std::move(name)}}.dump()};
}

std::vector<Route> table() {
  return {
      Route{"POST", "/emails", Access::none, [](const ApiRequest&, ApiServices&) { return named("send"); }},
      Route{"GET", "/emails/:id", Access::none,
            [](const ApiRequest& r, ApiServices&) { return named("get " + r.params.at(0)); }},
      Route{"POST", "/emails/:id/cancel", Access::none,
            [](const ApiRequest& r, ApiServices&) { return named("cancel " + r.params.at(0)); }},
  };
}

TEST(RouterTest, SplitPathDropsEmptySegments) {
  EXPECT_EQ(split_path("/emails"), (std::vector<std::string_view>{"emails"}));
  EXPECT_EQ(split_path("//emails/"), (std::vector<std::string_view>{"emails"}));
  EXPECT_EQ(split_path("/emails//abc"), (std::vector<std::string_view>{"emails", "abc"}));
  EXPECT_TRUE(split_path("/").empty());
  EXPECT_TRUE(split_path("").empty());
}

TEST(RouterTest, MatchesMethodAndPatternWithParameters) {
  auto routes = table();
  auto m = match_route(routes, "GET", "/emails/abc");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->pattern, "/emails/:id");
  EXPECT_EQ(m->params, std::vector<std::string>{"abc"});
  auto cancel = match_route(routes, "POST", "/emails/xyz/cancel");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->params, std::vector<std::string>{"xyz"});
}

TEST(RouterTest, DoubleSlashesAndTrailingSlashReachTheRoute) {
  auto routes = table();
  EXPECT_TRUE(match_route(routes, "POST", "//emails"));
  EXPECT_TRUE(match_route(routes, "POST", "/emails/"));
  EXPECT_TRUE(match_route(routes, "GET", "//emails//abc"));
}

TEST(RouterTest, UnknownPathIs404KnownPathOtherMethodIs405) {
  auto routes = table();
  auto unknown = match_route(routes, "GET", "/nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().status, 404);
  EXPECT_EQ(unknown.error().message, "The requested endpoint does not exist.");
  auto wrong = match_route(routes, "DELETE", "/emails");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().status, 405);
  EXPECT_EQ(wrong.error().name, "method_not_allowed");
  EXPECT_FALSE(match_route(routes, "GET", "/emails/a/b/c"));
  EXPECT_EQ(match_route(routes, "GET", "/").error().status, 404);
}

TEST(RouterTest, HeadIsServedAsGet) {
  auto routes = table();
  EXPECT_TRUE(match_route(routes, "HEAD", "/emails/abc"));
}

// UnauthenticatedServices - what dispatch() needs for table()'s routes:
// none needs auth, so the pool is never contacted.
struct UnauthenticatedServices {
  store::RedisPool pool{RedisEndpoint{}};
  SystemClock clock;
  AllowAllSenders senders;
  ApiOptions options;
  ApiServices services{pool, clock, senders, options};
};

TEST(RouterTest, DispatchRunsTheHandlerOrAnswersTheError) {
  UnauthenticatedServices unauthenticated;
  ApiServices& services = unauthenticated.services;
  auto routes = table();
  ApiRequest request;
  request.method = "GET";
  request.path = "/emails/42";
  auto ok = dispatch(routes, request, services);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["route"], "get 42");
  request.path = "/missing";
  auto missing = dispatch(routes, request, services);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing.body)["name"], "not_found");
}

ApiRequest with_body(std::string method, std::string body, std::optional<std::string> content_type) {
  ApiRequest request;
  request.method = std::move(method);
  request.path = "/emails";
  request.body = std::move(body);
  if (content_type) request.headers.emplace("content-type", *content_type);
  return request;
}

TEST(RouterTest, JsonBodiesMayDeclareJsonOrNothing) {
  EXPECT_TRUE(check_body_content_type(with_body("POST", "{}", "application/json")));
  EXPECT_TRUE(check_body_content_type(with_body("POST", "{}", "Application/JSON; charset=utf-8")));
  EXPECT_TRUE(check_body_content_type(with_body("PATCH", "{}", "application/merge-patch+json")));
  EXPECT_TRUE(check_body_content_type(with_body("POST", "{}", std::nullopt)));
  // The Node SDK sends the header on bodiless POSTs and GETs alike.
  EXPECT_TRUE(check_body_content_type(with_body("POST", "", "text/plain")));
  EXPECT_TRUE(check_body_content_type(with_body("GET", "{}", "text/plain")));
}

TEST(RouterTest, AFormOrTextBodyIs415AndNeverReachesTheHandler) {
  for (const char* type : {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x",
                           "text/json+json", "+json"}) {
    auto refused = check_body_content_type(with_body("POST", "{\"from\":\"a@b.c\"}", type));
    ASSERT_FALSE(refused) << type;
    EXPECT_EQ(refused.error().status, 415);
    EXPECT_EQ(refused.error().name, "validation_error");
  }
  UnauthenticatedServices unauthenticated;
  ApiServices& services = unauthenticated.services;
  auto routes = table();
  auto response = dispatch(routes, with_body("POST", "{}", "application/x-www-form-urlencoded"), services);
  EXPECT_EQ(response.status, 415);
  EXPECT_EQ(nlohmann::json::parse(response.body)["name"], "validation_error");
}

TEST(RouterTest, TheRealTableHasTheEmailAndHealthRoutes) {
  auto routes = make_routes();
  auto send = match_route(routes, "POST", "/emails");
  ASSERT_TRUE(send);
  EXPECT_EQ(send->route->access, Access::sending);
  auto get = match_route(routes, "GET", "/emails/x");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->route->access, Access::full);
  auto health = match_route(routes, "GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->route->access, Access::none);
}

}  // namespace
}  // namespace tern::api
