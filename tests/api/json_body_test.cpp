// json_body_test.cpp - strict JSON: duplicates, depth, UTF-8, empty bodies.
#include "api/json_body.hpp"

#include <gtest/gtest.h>

namespace tern::api {
namespace {

TEST(JsonBodyTest, EmptyOrBlankBodyIsAnEmptyObject) {
  for (std::string_view body : {"", "  ", "\r\n"}) {
    auto value = parse_json_object(body);
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_TRUE(value->is_object());
    EXPECT_TRUE(value->empty());
  }
}

TEST(JsonBodyTest, InvalidJsonIs422ValidationError) {
  auto value = parse_json_object("{\"from\": ");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().status, 422);
  EXPECT_EQ(value.error().name, "validation_error");
  EXPECT_NE(value.error().message.find("not valid JSON"), std::string::npos);
}

TEST(JsonBodyTest, TopLevelMustBeAnObject) {
  for (std::string_view body : {"[]", "\"x\"", "42", "null"}) {
    auto value = parse_json_object(body);
    ASSERT_FALSE(value) << body;
    EXPECT_EQ(value.error().name, "validation_error");
  }
  EXPECT_TRUE(parse_json_value("[1,2]"));
}

TEST(JsonBodyTest, DuplicateKeysAreRefusedAtAnyLevel) {
  auto top = parse_json_object(R"({"to":"a@b.c","to":"d@e.f"})");
  ASSERT_FALSE(top);
  EXPECT_NE(top.error().message.find("`to`"), std::string::npos);
  EXPECT_FALSE(parse_json_object(R"({"headers":{"X-A":"1","X-A":"2"}})"));
  EXPECT_FALSE(parse_json_object(R"({"tags":[{"name":"a","name":"b"}]})"));
}

TEST(JsonBodyTest, SameKeyInSiblingObjectsIsFine) {
  auto value = parse_json_object(R"({"tags":[{"name":"a","value":"1"},{"name":"b","value":"2"}],"name":"x"})");
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ((*value)["tags"].size(), 2u);
}

TEST(JsonBodyTest, DeepNestingIsRefused) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  auto value = parse_json_object("{\"a\":" + deep + "}");
  ASSERT_FALSE(value);
  EXPECT_NE(value.error().message.find("nested too deeply"), std::string::npos);
  std::string ok = "{\"a\":[[[[1]]]]}";
  EXPECT_TRUE(parse_json_object(ok));
}

TEST(JsonBodyTest, InvalidUtf8IsRefused) {
  auto value = parse_json_object("{\"subject\":\"caf\xc3\"}");
  ASSERT_FALSE(value);
  EXPECT_NE(value.error().message.find("UTF-8"), std::string::npos);
  EXPECT_FALSE(parse_json_object("{\"subject\":\"\xed\xa0\x80\"}"));   // encoded surrogate
  EXPECT_FALSE(parse_json_object(R"({"subject":"\ud800"})"));          // lone surrogate escape
  EXPECT_TRUE(parse_json_object("{\"subject\":\"caf\xc3\xa9 \xf0\x9f\x93\xa7\"}"));
}

TEST(JsonBodyTest, KeyOrderIsKept) {
  auto value = parse_json_object(R"({"z":1,"a":2,"m":3})");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->dump(), R"({"z":1,"a":2,"m":3})");
}

}  // namespace
}  // namespace tern::api
