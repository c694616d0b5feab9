// verification_state_test.cpp - status transitions and the re-check backoff.
#include "domains/verification_state.hpp"

#include <gtest/gtest.h>

namespace tern::domains {
namespace {

using namespace std::chrono_literals;
using dns::RecordStatus;

store::Domain pending_domain(TimePoint started) {
  store::Domain d;
  d.name = "example.test";
  d.status = "not_started";
  for (const char* name : {"send", "send", "tern._domainkey"}) {
    store::StoredDnsRecord r;
    r.record = std::string(name) == "send" ? "SPF" : "DKIM";
    r.name = name;
    r.type = "TXT";
    d.records.push_back(r);
  }
  start_verification(d, started);
  return d;
}

dns::DomainCheck check_of(std::vector<RecordStatus> statuses, RecordStatus dmarc = RecordStatus::failed) {
  dns::DomainCheck c;
  for (auto s : statuses) {
    dns::RecordCheck r;
    r.status = s;
    if (s != RecordStatus::verified) r.problem = "something is wrong";
    c.records.push_back(r);
  }
  c.dmarc.status = dmarc;
  c.dmarc.problem = dmarc == RecordStatus::verified ? "" : "no DMARC record";
  return c;
}

const TimePoint t0 = from_unix_ms(1'790'000'000'000);

TEST(NextCheckDelay, BacksOffThenSettlesAtSixHours) {
  EXPECT_EQ(next_check_delay(0s), 1min);
  EXPECT_EQ(next_check_delay(1min), 5min);
  EXPECT_EQ(next_check_delay(6min), 15min);
  EXPECT_EQ(next_check_delay(21min), 1h);
  EXPECT_EQ(next_check_delay(81min), 6h);
  EXPECT_EQ(next_check_delay(48h), 6h);
}

TEST(StartVerification, OpensAWindowUnlessOneIsRunning) {
  store::Domain d = pending_domain(t0);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.verification_started_at, t0);
  EXPECT_EQ(d.records[0].status, "pending");
  start_verification(d, t0 + 1h);
  EXPECT_EQ(d.verification_started_at, t0);  // still the same window
  d.status = "failed";
  start_verification(d, t0 + 80h);
  EXPECT_EQ(d.verification_started_at, t0 + 80h);
  EXPECT_EQ(d.status, "pending");
}

TEST(ApplyCheck, AllVerifiedVerifiesAndLeavesTheSchedule) {
  store::Domain d = pending_domain(t0);
  EXPECT_TRUE(apply_check(d, check_of({RecordStatus::verified, RecordStatus::verified, RecordStatus::verified}), t0));
  EXPECT_EQ(d.status, "verified");
  EXPECT_FALSE(d.next_check_at);
  EXPECT_EQ(d.last_checked_at, t0);
  EXPECT_EQ(d.records[2].status, "verified");
  EXPECT_TRUE(d.records[2].problem.empty());
  EXPECT_EQ(d.dmarc.status, "failed");  // DMARC is advice: it does not hold the domain back
  EXPECT_EQ(d.dmarc.problem, "no DMARC record");
}

TEST(ApplyCheck, AWrongRecordStaysPendingInsideTheWindowThenFails) {
  store::Domain d = pending_domain(t0);
  auto wrong = check_of({RecordStatus::verified, RecordStatus::verified, RecordStatus::failed});
  apply_check(d, wrong, t0);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.records[2].status, "failed");
  EXPECT_EQ(d.records[2].problem, "something is wrong");
  EXPECT_EQ(d.next_check_at, t0 + 1min);

  apply_check(d, wrong, t0 + 70h);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.next_check_at, t0 + 72h);  // one last check at the deadline

  EXPECT_TRUE(apply_check(d, wrong, t0 + 72h));
  EXPECT_EQ(d.status, "failed");
  EXPECT_FALSE(d.next_check_at);
}

TEST(ApplyCheck, DnsTroubleNeverFailsTheDomain) {
  store::Domain d = pending_domain(t0);
  auto trouble = check_of({RecordStatus::verified, RecordStatus::temporary_failure, RecordStatus::failed});
  apply_check(d, trouble, t0 + 73h);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.records[1].status, "temporary_failure");
  ASSERT_TRUE(d.next_check_at);
  EXPECT_EQ(*d.next_check_at, t0 + 73h + 6h);
}

TEST(ApplyCheck, ReportsWhetherAnythingChanged) {
  store::Domain d = pending_domain(t0);
  auto wrong = check_of({RecordStatus::verified, RecordStatus::verified, RecordStatus::failed});
  EXPECT_TRUE(apply_check(d, wrong, t0));
  EXPECT_FALSE(apply_check(d, wrong, t0 + 1min));
}

}  // namespace
}  // namespace tern::domains
