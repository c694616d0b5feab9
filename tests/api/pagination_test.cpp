// pagination_test.cpp - limit/after/before over a newest-first list.
#include "api/pagination.hpp"

#include <gtest/gtest.h>

namespace tern::api {
namespace {

const std::vector<std::string> kItems = {"e", "d", "c", "b", "a"};  // newest first

Page<std::string> page(const std::map<std::string, std::string>& query) {
  auto request = parse_page_request(query);
  EXPECT_TRUE(request);
  return paginate(kItems, *request, [](const std::string& s) { return s; });
}

TEST(ParsePageRequest, AcceptsResendsParameters) {
  auto r = parse_page_request({{"limit", "10"}, {"after", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->limit, 10u);
  EXPECT_EQ(r->after, "x");
  EXPECT_FALSE(parse_page_request({})->limit);
}

TEST(ParsePageRequest, RefusesBadLimitsAndBothCursors) {
  for (const char* bad : {"0", "101", "-1", "abc", "", "1e2", "1000"}) {
    auto r = parse_page_request({{"limit", bad}});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().status, 422);
    EXPECT_EQ(r.error().name, "validation_error");
  }
  EXPECT_TRUE(parse_page_request({{"limit", "100"}}));
  EXPECT_FALSE(parse_page_request({{"after", "a"}, {"before", "b"}}));
}

TEST(Paginate, NoLimitReturnsEverything) {
  auto p = page({});
  EXPECT_EQ(p.items, kItems);
  EXPECT_FALSE(p.has_more);
}

TEST(Paginate, LimitAndAfterWalkTowardsOlder) {
  auto first = page({{"limit", "2"}});
  EXPECT_EQ(first.items, (std::vector<std::string>{"e", "d"}));
  EXPECT_TRUE(first.has_more);
  auto second = page({{"limit", "2"}, {"after", "d"}});
  EXPECT_EQ(second.items, (std::vector<std::string>{"c", "b"}));
  EXPECT_TRUE(second.has_more);
  auto last = page({{"limit", "2"}, {"after", "b"}});
  EXPECT_EQ(last.items, (std::vector<std::string>{"a"}));
  EXPECT_FALSE(last.has_more);
}

TEST(Paginate, BeforeWalksTowardsNewer) {
  auto p = page({{"limit", "2"}, {"before", "b"}});
  EXPECT_EQ(p.items, (std::vector<std::string>{"d", "c"}));
  EXPECT_TRUE(p.has_more);
  auto top = page({{"limit", "2"}, {"before", "d"}});
  EXPECT_EQ(top.items, (std::vector<std::string>{"e"}));
  EXPECT_FALSE(top.has_more);
}

TEST(Paginate, UnknownCursorGivesAnEmptyPage) {
  EXPECT_TRUE(page({{"after", "zz"}}).items.empty());
  EXPECT_TRUE(page({{"before", "zz"}}).items.empty());
}

}  // namespace
}  // namespace tern::api
