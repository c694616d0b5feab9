// suppression_store_test.cpp - SuppressionStore against a real redis-server.
#include "store/redis/suppression_store.hpp"

#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/redis/keys.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = from_unix_ms(1'760'000'000'000);

struct StreamEntry {
  std::string type, team, subject_id;
  nlohmann::json event;
};

class SuppressionStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<RedisPool>(redis_->endpoint());
    ASSERT_TRUE(run(*pool_, {"FLUSHALL"}));
    store_ = std::make_unique<SuppressionStore>(*pool_);
  }

  std::vector<StreamEntry> stream() {
    auto reply = run(*pool_, {"XRANGE", std::string(keys::kEventStream), "-", "+"});
    EXPECT_TRUE(reply);
    std::vector<StreamEntry> out;
    for (const auto& entry : reply->elements) {
      StreamEntry e;
      const auto& f = entry.elements[1].elements;
      for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
        if (f[i].str == "type") e.type = f[i + 1].str;
        if (f[i].str == "team") e.team = f[i + 1].str;
        if (f[i].str == "subject_id") e.subject_id = f[i + 1].str;
        if (f[i].str == "event") e.event = nlohmann::json::parse(f[i + 1].str);
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  Suppression add(const std::string& team, const std::string& address, TimePoint at,
                  SuppressionOrigin origin = SuppressionOrigin::manual) {
    auto r = store_->add(team, address, origin, std::nullopt, at);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->entry : Suppression{};
  }

  static std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<SuppressionStore> store_;
};

std::unique_ptr<testing::RedisServer> SuppressionStoreTest::redis_;

TEST(SuppressionAddress, NormalizesDomainAndComparesWholeAddress) {
  EXPECT_EQ(normalize_suppressed_address("  Bob@Example.ORG "), "Bob@example.org");
  EXPECT_EQ(suppression_lookup_key("Bob@Example.ORG"), "bob@example.org");
  EXPECT_EQ(parse_suppression_origin("complaint"), SuppressionOrigin::complaint);
  EXPECT_FALSE(parse_suppression_origin("spam"));
}

TEST(SuppressionJson, RoundTripsAndRendersEvent) {
  Suppression s{"e169aa45-0000-4000-8000-000000000001", "a@b.c", SuppressionOrigin::bounce, "email-1", kT0};
  auto back = suppression_from_json(suppression_to_json(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->email, "a@b.c");
  EXPECT_EQ(back->origin, SuppressionOrigin::bounce);
  EXPECT_EQ(back->source_id, std::optional<std::string>("email-1"));
  EXPECT_EQ(back->created_at, kT0);
  auto ev = nlohmann::json::parse(suppression_event_json("suppression.added", s, kT0 + 1s));
  EXPECT_EQ(ev["type"], "suppression.added");
  EXPECT_EQ(ev["at_ms"], to_unix_ms(kT0 + 1s));
  EXPECT_EQ(ev["data"]["email"], "a@b.c");
  EXPECT_EQ(ev["data"]["origin"], "bounce");
  EXPECT_EQ(ev["data"]["source_id"], "email-1");
  EXPECT_FALSE(suppression_from_json("{\"id\":1}"));
}

TEST_F(SuppressionStoreTest, AddIsIdempotentAndCaseInsensitive) {
  auto first = store_->add("team-a", "Bob@Example.ORG", SuppressionOrigin::bounce, "email-1", kT0);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->entry.email, "Bob@example.org");
  EXPECT_EQ(first->entry.source_id, std::optional<std::string>("email-1"));

  auto again = store_->add("team-a", "bob@example.org", SuppressionOrigin::manual, std::nullopt, kT0 + 1s);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entry.id, first->entry.id);
  EXPECT_EQ(again->entry.origin, SuppressionOrigin::bounce);

  auto events = stream();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "suppression.added");
  EXPECT_EQ(events[0].team, "team-a");
  EXPECT_EQ(events[0].subject_id, first->entry.id);
  EXPECT_EQ(events[0].event["data"]["email"], "Bob@example.org");
}

TEST_F(SuppressionStoreTest, LookupsAreScopedToTheTeam) {
  auto s = add("team-a", "x@y.z", kT0);
  auto hit = store_->is_suppressed("team-a", "X@Y.Z");
  ASSERT_TRUE(hit);
  ASSERT_TRUE(*hit);
  EXPECT_EQ((*hit)->id, s.id);
  auto other = store_->is_suppressed("team-b", "x@y.z");
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  auto by_id = store_->get_by_id("team-a", s.id);
  ASSERT_TRUE(by_id && *by_id);
  EXPECT_EQ((*by_id)->email, "x@y.z");
  auto by_id_other = store_->get_by_id("team-b", s.id);
  ASSERT_TRUE(by_id_other);
  EXPECT_FALSE(*by_id_other);
  auto by_email = store_->get_by_email("team-a", "x@Y.z");
  ASSERT_TRUE(by_email && *by_email);
  EXPECT_EQ((*by_email)->id, s.id);
}

TEST_F(SuppressionStoreTest, SuppressedAmongAnswersInInputOrder) {
  add("team-a", "one@x.org", kT0);
  add("team-a", "three@x.org", kT0);
  auto r = store_->suppressed_among("team-a", {"one@x.org", "two@x.org", "THREE@x.org"});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_TRUE((*r)[0]);
  EXPECT_FALSE((*r)[1]);
  ASSERT_TRUE((*r)[2]);
  EXPECT_EQ((*r)[2]->email, "three@x.org");
  auto none = store_->suppressed_among("team-a", {});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(SuppressionStoreTest, ListsNewestFirstWithCursorsAndOriginFilter) {
  std::vector<Suppression> made;  // made[i] created at kT0 + i s
  for (int i = 0; i < 5; ++i)
    made.push_back(add("team-a", "u" + std::to_string(i) + "@x.org", kT0 + std::chrono::seconds(i),
                       i % 2 ? SuppressionOrigin::complaint : SuppressionOrigin::bounce));

  auto first = store_->list("team-a", {2, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->data.size(), 2u);
  EXPECT_TRUE(first->has_more);
  EXPECT_EQ(first->data[0].id, made[4].id);
  EXPECT_EQ(first->data[1].id, made[3].id);

  auto next = store_->list("team-a", {2, made[3].id, std::nullopt, std::nullopt});
  ASSERT_TRUE(next);
  ASSERT_EQ(next->data.size(), 2u);
  EXPECT_EQ(next->data[0].id, made[2].id);
  EXPECT_TRUE(next->has_more);

  auto last = store_->list("team-a", {2, made[1].id, std::nullopt, std::nullopt});
  ASSERT_TRUE(last);
  ASSERT_EQ(last->data.size(), 1u);
  EXPECT_EQ(last->data[0].id, made[0].id);
  EXPECT_FALSE(last->has_more);

  auto back = store_->list("team-a", {2, std::nullopt, made[1].id, std::nullopt});
  ASSERT_TRUE(back);
  ASSERT_EQ(back->data.size(), 2u);
  EXPECT_EQ(back->data[0].id, made[3].id);
  EXPECT_EQ(back->data[1].id, made[2].id);
  EXPECT_TRUE(back->has_more);

  auto complaints = store_->list("team-a", {20, std::nullopt, std::nullopt, SuppressionOrigin::complaint});
  ASSERT_TRUE(complaints);
  ASSERT_EQ(complaints->data.size(), 2u);
  EXPECT_EQ(complaints->data[0].id, made[3].id);
  EXPECT_EQ(complaints->data[1].id, made[1].id);
  EXPECT_FALSE(complaints->has_more);

  auto other_team = store_->list("team-b", {20, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_TRUE(other_team);
  EXPECT_TRUE(other_team->data.empty());
}

TEST_F(SuppressionStoreTest, UnknownCursorIsAnEmptyPageAndBadLimitsFail) {
  add("team-a", "a@x.org", kT0);
  auto unknown = store_->list("team-a", {10, std::string("5f0d0000-0000-4000-8000-000000000000"), std::nullopt,
                                         std::nullopt});
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(unknown->data.empty());
  EXPECT_FALSE(unknown->has_more);
  EXPECT_FALSE(store_->list("team-a", {0, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_FALSE(store_->list("team-a", {101, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_FALSE(store_->list("team-a", {10, std::string("a"), std::string("b"), std::nullopt}));
}

TEST_F(SuppressionStoreTest, RemoveByIdOrEmailPublishesOnce) {
  auto a = add("team-a", "a@x.org", kT0);
  auto b = add("team-a", "b@x.org", kT0 + 1s, SuppressionOrigin::complaint);

  auto wrong_team = store_->remove_by_id("team-b", a.id, kT0 + 2s);
  ASSERT_TRUE(wrong_team);
  EXPECT_FALSE(*wrong_team);

  auto removed = store_->remove_by_id("team-a", a.id, kT0 + 2s);
  ASSERT_TRUE(removed && *removed);
  EXPECT_EQ((*removed)->email, "a@x.org");
  auto again = store_->remove_by_id("team-a", a.id, kT0 + 3s);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);

  auto by_email = store_->remove_by_email("team-a", "B@X.ORG", kT0 + 4s);
  ASSERT_TRUE(by_email && *by_email);
  EXPECT_EQ((*by_email)->id, b.id);

  auto still = store_->is_suppressed("team-a", "b@x.org");
  ASSERT_TRUE(still);
  EXPECT_FALSE(*still);
  auto listed = store_->list("team-a", {20, std::nullopt, std::nullopt, SuppressionOrigin::complaint});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->data.empty());

  auto events = stream();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].type, "suppression.removed");
  EXPECT_EQ(events[2].subject_id, a.id);
  EXPECT_EQ(events[2].event["at_ms"], to_unix_ms(kT0 + 2s));
  EXPECT_EQ(events[3].type, "suppression.removed");
  EXPECT_EQ(events[3].event["data"]["origin"], "complaint");
}

TEST_F(SuppressionStoreTest, BatchesAddAndRemoveAndAreBounded) {
  auto added = store_->add_batch("team-a", {"a@x.org", "b@x.org", "A@x.org"}, SuppressionOrigin::manual,
                                 std::nullopt, kT0);
  ASSERT_TRUE(added);
  ASSERT_EQ(added->size(), 3u);
  EXPECT_TRUE((*added)[0].created);
  EXPECT_TRUE((*added)[1].created);
  EXPECT_FALSE((*added)[2].created);
  EXPECT_EQ((*added)[2].entry.id, (*added)[0].entry.id);

  auto by_ids = store_->remove_batch_by_ids("team-a", {(*added)[0].entry.id, "nope"}, kT0 + 1s);
  ASSERT_TRUE(by_ids);
  ASSERT_EQ(by_ids->size(), 1u);
  EXPECT_EQ((*by_ids)[0].email, "a@x.org");
  auto by_emails = store_->remove_batch_by_emails("team-a", {"B@x.org", "b@x.org", "zzz@x.org"}, kT0 + 2s);
  ASSERT_TRUE(by_emails);
  ASSERT_EQ(by_emails->size(), 1u);  // the duplicate is removed once

  std::vector<std::string> many(SuppressionStore::kMaxBatch + 1, "m@x.org");
  auto too_many = store_->add_batch("team-a", many, SuppressionOrigin::manual, std::nullopt, kT0);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, Errc::invalid_argument);
  EXPECT_FALSE(store_->remove_batch_by_emails("team-a", many, kT0));
  EXPECT_FALSE(store_->remove_batch_by_ids("team-a", many, kT0));
}

}  // namespace
}  // namespace tern::store
