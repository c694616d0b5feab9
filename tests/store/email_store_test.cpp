// email_store_test.cpp - the EmailStore additions against a real
// redis-server: batch creation, listing with cursors, rescheduling and
// canceling (including their race with the promotion of due emails), and
// attachments surviving the round trip.
#include "store/redis/email_store.hpp"

#include <gtest/gtest.h>

#include "store/redis/keys.hpp"
#include "store/redis/queue.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::store {
namespace {

using namespace std::chrono_literals;

EmailContent content_at(TimePoint created, std::string team = "t1") {
  EmailContent c;
  c.id = new_uuid();
  c.team = std::move(team);
  c.from = "Acme <a@example.com>";
  c.to = {"x@example.org"};
  c.subject = "hi";
  c.html = "<p>hello</p>";
  c.message_id = "<" + c.id + "@tern.test>";
  c.created_at = created;
  return c;
}

NewEmail new_email(EmailContent c) {
  EmailState state = initial_state(c);
  EmailEvent event{c.scheduled_at ? "email.scheduled" : "email.sent", c.created_at, {}, std::nullopt};
  return NewEmail{std::move(c), std::move(state), std::move(event)};
}

class EmailStoreTest : public ::testing::Test {
 protected:
  testing::RedisServer redis;
  RedisPool pool{redis.endpoint()};
  EmailStore emails{pool};
  Queue queue{pool, "c1"};
  const TimePoint t0 = std::chrono::system_clock::now();

  // create_n - n emails one millisecond apart, oldest first; ids returned newest first.
  std::vector<std::string> create_n(int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      auto e = new_email(content_at(t0 + std::chrono::milliseconds(i)));
      EXPECT_TRUE(emails.create(e.content, e.state, e.first_event));
      ids.insert(ids.begin(), e.content.id);
    }
    return ids;
  }

  std::vector<std::string> ids_of(const EmailPage& page) {
    std::vector<std::string> out;
    for (const auto& e : page.emails) out.push_back(e.content.id);
    return out;
  }

  std::string scheduled_email(TimePoint at) {
    auto c = content_at(t0);
    c.scheduled_at = at;
    auto e = new_email(std::move(c));
    EXPECT_TRUE(emails.create(e.content, e.state, e.first_event));
    return e.content.id;
  }

  double delayed_score(const std::string& id) {
    auto r = run(pool, {"ZSCORE", std::string(keys::kDelayedSet), id});
    return r && !r->is_nil() ? std::stod(r->str) : -1;
  }
};

TEST_F(EmailStoreTest, CreateBatchStoresAllInOneTransaction) {
  std::vector<NewEmail> batch = {new_email(content_at(t0)), new_email(content_at(t0 + 1ms))};
  ASSERT_TRUE(queue.ensure_group());
  ASSERT_TRUE(emails.create_batch(batch));
  for (const auto& e : batch) {
    auto got = emails.get("t1", e.content.id);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->state.last_event, "sent");
  }
  EXPECT_EQ(queue.depth()->ready, 2);
  EXPECT_TRUE(emails.create_batch({}));
}

TEST_F(EmailStoreTest, ListIsNewestFirstWithCursorsAndHasMore) {
  const auto ids = create_n(5);  // newest first
  auto first = emails.list("t1", EmailPageRequest{2, "", ""});
  ASSERT_TRUE(first);
  EXPECT_EQ(ids_of(*first), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_TRUE(first->has_more);

  auto second = emails.list("t1", EmailPageRequest{2, ids[1], ""});
  ASSERT_TRUE(second);
  EXPECT_EQ(ids_of(*second), (std::vector<std::string>{ids[2], ids[3]}));
  EXPECT_TRUE(second->has_more);

  auto last = emails.list("t1", EmailPageRequest{2, ids[3], ""});
  ASSERT_TRUE(last);
  EXPECT_EQ(ids_of(*last), (std::vector<std::string>{ids[4]}));
  EXPECT_FALSE(last->has_more);

  auto back = emails.list("t1", EmailPageRequest{2, "", ids[4]});
  ASSERT_TRUE(back);
  EXPECT_EQ(ids_of(*back), (std::vector<std::string>{ids[2], ids[3]}));
  EXPECT_TRUE(back->has_more);
  auto top = emails.list("t1", EmailPageRequest{2, "", ids[1]});
  ASSERT_TRUE(top);
  EXPECT_EQ(ids_of(*top), (std::vector<std::string>{ids[0]}));
  EXPECT_FALSE(top->has_more);

  auto all = emails.list("t1", EmailPageRequest{20, "", ""});
  ASSERT_TRUE(all);
  EXPECT_EQ(ids_of(*all), ids);
  EXPECT_FALSE(all->has_more);
}

TEST_F(EmailStoreTest, ListItemsAreSummariesScopedToTheTeam) {
  auto c = content_at(t0);
  c.attachments.push_back(Attachment{"a.txt", "text/plain", "", "attached"});
  auto e = new_email(c);
  ASSERT_TRUE(emails.create(e.content, e.state, e.first_event));
  auto page = emails.list("t1", EmailPageRequest{10, "", ""});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->emails.size(), 1u);
  EXPECT_EQ(page->emails[0].content.subject, "hi");
  EXPECT_EQ(page->emails[0].state.last_event, "sent");
  EXPECT_FALSE(page->emails[0].content.html);         // summaries carry no bodies
  EXPECT_TRUE(page->emails[0].content.attachments.empty());
  EXPECT_TRUE(emails.list("t2", EmailPageRequest{10, "", ""})->emails.empty());
  // Another team's id as a cursor, or an unknown one: an empty page.
  EXPECT_TRUE(emails.list("t2", EmailPageRequest{10, c.id, ""})->emails.empty());
  EXPECT_TRUE(emails.list("t1", EmailPageRequest{10, new_uuid(), ""})->emails.empty());
}

TEST_F(EmailStoreTest, AttachmentsRoundTripThroughTheStore) {
  auto c = content_at(t0);
  c.attachments.push_back(Attachment{"r\xC3\xA9sum\xC3\xA9.pdf", "application/pdf", "", std::string("\0\xff%PDF", 6)});
  c.attachments.push_back(Attachment{"logo.png", "image/png", "logo", "PNG"});
  auto e = new_email(c);
  ASSERT_TRUE(emails.create(e.content, e.state, e.first_event));
  auto got = emails.get_any(c.id);
  ASSERT_TRUE(got && *got);
  ASSERT_EQ((*got)->content.attachments.size(), 2u);
  EXPECT_EQ((*got)->content.attachments[0].content, std::string("\0\xff%PDF", 6));
  EXPECT_EQ((*got)->content.attachments[0].filename, "r\xC3\xA9sum\xC3\xA9.pdf");
  EXPECT_EQ((*got)->content.attachments[1].content_id, "logo");
}

TEST_F(EmailStoreTest, RescheduleMovesTheDelayedEntry) {
  const std::string id = scheduled_email(t0 + 1h);
  const TimePoint later = t0 + 2h;
  auto changed = emails.reschedule("t1", id, later);
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, ScheduleChange::done);
  EXPECT_EQ(delayed_score(id), double(to_unix_ms(later)));
  auto got = emails.get("t1", id);
  ASSERT_TRUE((*got)->content.scheduled_at);
  EXPECT_EQ(to_unix_ms(*(*got)->content.scheduled_at), to_unix_ms(later));  // stored to the millisecond
  EXPECT_EQ((*got)->state.last_event, "scheduled");
  auto listed = emails.list("t1", EmailPageRequest{10, "", ""});
  ASSERT_TRUE(listed->emails[0].content.scheduled_at);  // the summary follows
  EXPECT_EQ(to_unix_ms(*listed->emails[0].content.scheduled_at), to_unix_ms(later));
  EXPECT_EQ(*emails.reschedule("t2", id, later), ScheduleChange::not_found);
  EXPECT_EQ(*emails.reschedule("t1", new_uuid(), later), ScheduleChange::not_found);
}

TEST_F(EmailStoreTest, CancelRemovesFromTheDelayedSetForGood) {
  const std::string id = scheduled_email(t0 + 1h);
  EXPECT_EQ(*emails.cancel("t2", id, t0), ScheduleChange::not_found);
  auto changed = emails.cancel("t1", id, t0);
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, ScheduleChange::done);
  EXPECT_EQ(delayed_score(id), -1);
  auto got = emails.get("t1", id);
  EXPECT_EQ((*got)->state.last_event, "canceled");
  EXPECT_EQ(emails.events(id)->back().type, "email.canceled");
  // Neither a second cancel nor a reschedule brings it back.
  EXPECT_EQ(*emails.cancel("t1", id, t0), ScheduleChange::not_scheduled);
  EXPECT_EQ(*emails.reschedule("t1", id, t0 + 3h), ScheduleChange::not_scheduled);
  EXPECT_EQ(delayed_score(id), -1);
}

TEST_F(EmailStoreTest, NotScheduledEmailsCannotBeChanged) {
  auto e = new_email(content_at(t0));
  ASSERT_TRUE(emails.create(e.content, e.state, e.first_event));
  EXPECT_EQ(*emails.cancel("t1", e.content.id, t0), ScheduleChange::not_scheduled);
  EXPECT_EQ(*emails.reschedule("t1", e.content.id, t0 + 1h), ScheduleChange::not_scheduled);
}

TEST_F(EmailStoreTest, PromotedEmailCannotBeCanceledAndCanceledIsNeverPromoted) {
  ASSERT_TRUE(queue.ensure_group());
  // Due now: promote first, then the cancel must lose.
  const std::string due = scheduled_email(t0 + 1h);
  ASSERT_TRUE(run(pool, {"ZADD", std::string(keys::kDelayedSet), "0", due}));  // make it due
  ASSERT_EQ(*queue.promote_due(10), 1);
  EXPECT_EQ(*emails.cancel("t1", due, t0), ScheduleChange::not_scheduled);
  EXPECT_EQ(emails.get("t1", due).value().value().state.last_event, "scheduled");  // the worker will send it

  // Cancel first, then a promotion finds nothing.
  const std::string canceled = scheduled_email(t0 + 1h);
  EXPECT_EQ(*emails.cancel("t1", canceled, t0), ScheduleChange::done);
  ASSERT_TRUE(run(pool, {"ZADD", std::string(keys::kDelayedSet), "0", "placeholder"}));
  ASSERT_EQ(*queue.promote_due(10), 1);  // only the placeholder
  auto claimed = queue.claim(10, 10ms);
  ASSERT_TRUE(claimed);
  for (const auto& job : *claimed) EXPECT_NE(job.email_id, canceled);
}

}  // namespace
}  // namespace tern::store
