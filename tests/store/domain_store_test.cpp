// domain_store_test.cpp - DomainStore against a real redis-server.
#include "store/redis/domain_store.hpp"

#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

StoredDnsRecord rec(std::string record, std::string name, std::string type, std::string value,
                    std::optional<int> priority = std::nullopt) {
  StoredDnsRecord r;
  r.record = std::move(record);
  r.name = std::move(name);
  r.type = std::move(type);
  r.value = std::move(value);
  r.priority = priority;
  return r;
}

Domain make_domain(const std::string& team, const std::string& name, TimePoint created) {
  Domain d;
  d.id = new_uuid();
  d.team = team;
  d.name = name;
  d.created_at = created;
  d.records.push_back(rec("SPF", "send", "MX", "feedback-smtp.mail.test", 10));
  d.records.push_back(rec("SPF", "send", "TXT", "v=spf1 a:mail.test ~all"));
  d.records.push_back(rec("DKIM", "tern._domainkey", "TXT", "v=DKIM1; k=rsa; p=AAAA"));
  d.dmarc = rec("DMARC", "_dmarc", "TXT", "v=DMARC1; p=none;");
  d.dkim_keys.push_back(DkimKeyRecord{"tern", "rsa", "AAAA", "sealed-bytes"});
  return d;
}

class DomainStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }
  void SetUp() override {
    pool_ = std::make_unique<RedisPool>(redis_->endpoint());
    ASSERT_TRUE(run(*pool_, {"FLUSHALL"}));
    store_ = std::make_unique<DomainStore>(*pool_);
  }

  std::vector<std::string> event_types() {
    auto reply = run(*pool_, {"XRANGE", std::string(keys::kEventStream), "-", "+"});
    EXPECT_TRUE(reply);
    std::vector<std::string> out;
    for (const auto& entry : reply->elements)
      for (std::size_t i = 0; i + 1 < entry.elements[1].elements.size(); i += 2)
        if (entry.elements[1].elements[i].str == "type") out.push_back(entry.elements[1].elements[i + 1].str);
    return out;
  }

  static inline std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<DomainStore> store_;
  const TimePoint t0_ = from_unix_ms(1'790'000'000'000);
};

TEST_F(DomainStoreTest, CreateThenGetRoundTripsEveryField) {
  Domain d = make_domain("team-a", "example.test", t0_);
  d.verification_started_at = t0_ + 1s;
  d.records[0].status = "failed";
  d.records[0].problem = "missing";
  d.records[0].found = "other";
  ASSERT_TRUE(store_->create(d));
  auto got = store_->get("team-a", d.id);
  ASSERT_TRUE(got);
  ASSERT_TRUE(*got);
  EXPECT_EQ((*got)->name, "example.test");
  EXPECT_EQ((*got)->created_at, t0_);
  EXPECT_EQ((*got)->verification_started_at, t0_ + 1s);
  EXPECT_FALSE((*got)->next_check_at);
  ASSERT_EQ((*got)->records.size(), 3u);
  EXPECT_EQ((*got)->records[0].priority, 10);
  EXPECT_FALSE((*got)->records[1].priority);
  EXPECT_EQ((*got)->records[0].problem, "missing");
  EXPECT_EQ((*got)->records[0].found, "other");
  EXPECT_EQ((*got)->dmarc.value, "v=DMARC1; p=none;");
  ASSERT_EQ((*got)->dkim_keys.size(), 1u);
  EXPECT_EQ((*got)->dkim_keys[0].sealed_private_key, "sealed-bytes");
  EXPECT_EQ(event_types(), std::vector<std::string>{"domain.created"});
}

TEST_F(DomainStoreTest, DuplicateNameConflictsAcrossTeams) {
  ASSERT_TRUE(store_->create(make_domain("team-a", "example.test", t0_)));
  auto again = store_->create(make_domain("team-b", "example.test", t0_));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(again.error().message, "The `example.test` domain has been registered already.");
  auto listed = store_->list("team-b");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(DomainStoreTest, ConcurrentCreatesOfOneNameHaveOneWinner) {
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      if (store_->create(make_domain("team-" + std::to_string(i), "race.test", t0_))) ++wins;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_F(DomainStoreTest, OtherTeamSeesNothing) {
  Domain d = make_domain("team-a", "example.test", t0_);
  ASSERT_TRUE(store_->create(d));
  auto got = store_->get("team-b", d.id);
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  auto by_name = store_->find_by_name("team-b", "example.test");
  ASSERT_TRUE(by_name);
  EXPECT_FALSE(*by_name);
  auto mine = store_->find_by_name("team-a", "example.test");
  ASSERT_TRUE(mine);
  ASSERT_TRUE(*mine);
  EXPECT_EQ((*mine)->id, d.id);
  auto removed = store_->remove("team-b", d.id);
  ASSERT_TRUE(removed);
  EXPECT_FALSE(*removed);
  Domain stolen = d;
  stolen.team = "team-b";
  auto updated = store_->update(stolen);
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, Errc::not_found);
}

TEST_F(DomainStoreTest, ListIsNewestFirst) {
  ASSERT_TRUE(store_->create(make_domain("team-a", "one.test", t0_)));
  ASSERT_TRUE(store_->create(make_domain("team-a", "three.test", t0_ + 2s)));
  ASSERT_TRUE(store_->create(make_domain("team-a", "two.test", t0_ + 1s)));
  ASSERT_TRUE(store_->create(make_domain("team-b", "other.test", t0_ + 3s)));
  auto listed = store_->list("team-a");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].name, "three.test");
  EXPECT_EQ((*listed)[1].name, "two.test");
  EXPECT_EQ((*listed)[2].name, "one.test");
}

TEST_F(DomainStoreTest, UpdateReplacesTheRecordAndPublishesOnlyWhenAsked) {
  Domain d = make_domain("team-a", "example.test", t0_);
  ASSERT_TRUE(store_->create(d));
  d.status = "verified";
  d.click_tracking = true;
  d.records[2].status = "verified";
  ASSERT_TRUE(store_->update(d));
  d.last_checked_at = t0_ + 5s;
  ASSERT_TRUE(store_->update(d, false));
  auto got = store_->get("team-a", d.id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->status, "verified");
  EXPECT_TRUE((*got)->click_tracking);
  EXPECT_EQ((*got)->records[2].status, "verified");
  EXPECT_EQ((*got)->last_checked_at, t0_ + 5s);
  EXPECT_EQ(event_types(), (std::vector<std::string>{"domain.created", "domain.updated"}));
  Domain renamed = d;
  renamed.name = "other.test";
  EXPECT_FALSE(store_->update(renamed));
}

TEST_F(DomainStoreTest, RemoveFreesTheName) {
  Domain d = make_domain("team-a", "example.test", t0_);
  d.next_check_at = t0_;
  ASSERT_TRUE(store_->create(d));
  auto removed = store_->remove("team-a", d.id);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  auto got = store_->get("team-a", d.id);
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  auto due = store_->due_for_check(t0_ + 1h, 10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
  EXPECT_TRUE(store_->create(make_domain("team-b", "example.test", t0_)));
  EXPECT_EQ(event_types(), (std::vector<std::string>{"domain.created", "domain.deleted", "domain.created"}));
}

TEST_F(DomainStoreTest, DueForCheckReturnsDueDomainsAndClaimsThem) {
  Domain early = make_domain("team-a", "early.test", t0_);
  early.next_check_at = t0_ + 1min;
  Domain late = make_domain("team-b", "late.test", t0_);
  late.next_check_at = t0_ + 10min;
  Domain never = make_domain("team-a", "never.test", t0_);
  ASSERT_TRUE(store_->create(early));
  ASSERT_TRUE(store_->create(late));
  ASSERT_TRUE(store_->create(never));

  auto due = store_->due_for_check(t0_ + 2min, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0], std::make_pair(std::string("team-a"), early.id));
  // Claimed: not handed out again until the lease runs out.
  auto again = store_->due_for_check(t0_ + 2min, 10);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());

  auto both = store_->due_for_check(t0_ + 2min + DomainStore::kRecheckLease + 10min, 10);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->size(), 2u);

  // update() without next_check_at takes the domain off the schedule.
  early.next_check_at.reset();
  ASSERT_TRUE(store_->update(early, false));
  auto later = store_->due_for_check(t0_ + 24h, 10);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].second, late.id);
}

TEST(DomainJson, EventCarriesThePublicShapeWithoutKeys) {
  Domain d = make_domain("team-a", "example.test", from_unix_ms(1'790'000'000'000));
  const std::string event = domain_event_json("domain.created", d, d.created_at);
  EXPECT_NE(event.find("\"type\":\"domain.created\""), std::string::npos) << event;
  EXPECT_NE(event.find("\"at_ms\":1790000000000"), std::string::npos) << event;
  EXPECT_NE(event.find("\"name\":\"example.test\""), std::string::npos) << event;
  EXPECT_EQ(event.find("sealed"), std::string::npos) << event;
  auto back = domain_from_json(domain_to_json(d));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->dkim_keys[0].sealed_private_key, "sealed-bytes");
  EXPECT_FALSE(domain_from_json("{\"id\":1}"));
}

}  // namespace
}  // namespace tern::store
