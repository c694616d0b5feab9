#include "worker/consumer.hpp"

#include <algorithm>

#include "mailer/smtp/connection_cache.hpp"
#include "store/util/log.hpp"
#include "worker/suppression_check.hpp"

namespace tern::worker {
namespace {

using namespace std::chrono_literals;

constexpr auto kClaimBlock = 1000ms;  // how long one XREADGROUP waits for new work
constexpr auto kBackoffOnError = 1000ms;
constexpr auto kHousekeepingTick = 250ms;

void sleep_unless(const std::atomic<bool>& stop, std::chrono::milliseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (!stop.load() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(20ms);
}

}  // namespace

Consumer::Consumer(store::RedisPool& pool, dns::Resolver& resolver, const Clock& clock, DeliveryConfig config,
                   std::string consumer_name, SendFunction send, SenderIdentities* senders)
    : pool_(pool),
      resolver_(resolver),
      clock_(clock),
      config_(std::move(config)),
      name_(std::move(consumer_name)),
      send_(std::move(send)),
      senders_(senders),
      emails_(pool),
      suppressions_(pool),
      // Destination leases live as long as claims: renewed with them while
      // this worker runs, lapsing one claim_timeout after it is killed.
      slots_(pool, config_.destination_concurrency, config_.claim_timeout),
      gate_(slots_) {}

Consumer::~Consumer() { stop(); }

void Consumer::start() {
  store::Queue queue(pool_, name_);
  if (auto r = queue.ensure_group(); !r) log::warn("cannot create consumer group yet", {{"error", r.error().message}});
  for (int i = 0; i < config_.concurrency; ++i) threads_.emplace_back([this, i] { delivery_loop(i); });
  threads_.emplace_back([this] { housekeeping_loop(); });
  log::info("worker started", {{"consumer", name_}, {"concurrency", std::to_string(config_.concurrency)}});
}

void Consumer::stop() {
  stopping_.store(true);
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void Consumer::delivery_loop(int index) {
  store::Queue queue(pool_, name_);
  std::mt19937_64 rng(std::random_device{}() + uint64_t(index));
  while (!stopping()) {
    Result<std::vector<store::Job>> reclaimed = std::vector<store::Job>{};
    if (reclaim_due()) reclaimed = queue.reclaim(1, config_.claim_timeout);
    if (reclaimed && !reclaimed->empty()) next_reclaim_ms_.store(0);  // there may be more: look again at once
    auto jobs = (reclaimed && !reclaimed->empty()) ? reclaimed : queue.claim(1, kClaimBlock);
    if (!jobs) {
      log::warn("queue unavailable", {{"error", jobs.error().message}});
      sleep_unless(stopping_, kBackoffOnError);
      continue;
    }
    for (const auto& job : *jobs) process(job, rng);
    // Connections this thread kept open (smtp::send_reusing) and did not
    // use for a while are closed politely.
    smtp::close_idle_connections();
  }
}

bool Consumer::reclaim_due() {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch()).count();
  const int64_t interval = std::clamp<int64_t>(config_.claim_timeout.count() / 4, 10, 5000);
  int64_t due = next_reclaim_ms_.load();
  return now >= due && next_reclaim_ms_.compare_exchange_strong(due, now + interval);
}

void Consumer::process(const store::Job& job, std::mt19937_64& rng) {
  {
    std::lock_guard lock(in_flight_mutex_);
    in_flight_.insert(job.stream_id);
  }
  auto forget = [&] {
    std::lock_guard lock(in_flight_mutex_);
    in_flight_.erase(job.stream_id);
  };
  auto stored = emails_.get_any(job.email_id);
  if (!stored) {
    log::warn("cannot read email; job left for retry", {{"email_id", job.email_id}, {"error", stored.error().message}});
    forget();
    return;
  }
  if (!stored->has_value()) {
    // The queue entry outlived its email (deleted): drop the entry.
    log::warn("queue entry without email; dropping", {{"email_id", job.email_id}});
    if (auto r = store::Queue(pool_, name_).drop(job); !r)
      log::warn("cannot drop orphan queue entry", {{"email_id", job.email_id}, {"error", r.error().message}});
    forget();
    return;
  }
  // Suppressed recipients are never attempted (Resend: last_event suppressed).
  store::StoredEmail email = **stored;
  const TimePoint now = clock_.now();
  auto check = apply_suppressions(suppressions_, email, email.state, now);
  if (!check) {
    log::warn("cannot read the suppression list; job left for retry",
              {{"email_id", job.email_id}, {"error", check.error().message}});
    forget();
    return;
  }
  DeliveryContext ctx{resolver_, config_, send_, rng, senders_, &gate_};
  AttemptResult result = attempt_delivery(email, ctx, now);
  result.events.insert(result.events.begin(), check->events.begin(), check->events.end());
  const std::string& team = email.content.team;
  auto committed = emails_.commit_attempt(job, team, result.state, result.events, result.retry_at);
  if (!committed) {
    // Not acked: the job will be reclaimed and tried again (at-least-once).
    log::error("cannot commit delivery result", {{"email_id", job.email_id}, {"error", committed.error().message}});
    forget();
    return;
  }
  if (metrics_) record_attempt(*metrics_, email, result, now);  // metrics (delivery_metrics.hpp)
  for (const auto& e : result.events) {
    std::string reply = e.reply ? (std::to_string(e.reply->code) + " " + e.reply->enhanced + " " + e.reply->text) : "";
    log::info("email event", {{"email_id", job.email_id}, {"team", team}, {"event", e.type},
                              {"recipients", std::to_string(e.recipients.size())}, {"reply", reply},
                              {"destination", e.recipients.empty() ? "" : recipient_domain(e.recipients.front())},
                              {"mx", e.reply ? e.reply->host : ""}});
    if (e.type != "email.bounced" || !e.reply) continue;
    // A hard bounce puts the address on the team's suppression list.
    for (const auto& rcpt : e.recipients) {
      auto added = record_hard_bounce(suppressions_, team, rcpt, job.email_id, *e.reply, now);
      if (!added) log::warn("cannot record hard bounce", {{"email_id", job.email_id}, {"error", added.error().message}});
    }
  }
  forget();
}

void Consumer::housekeeping_loop() {
  store::Queue queue(pool_, name_);
  auto last_renew = std::chrono::steady_clock::now();
  while (!stopping()) {
    auto moved = queue.promote_due(500);
    if (!moved) log::warn("cannot promote due emails", {{"error", moved.error().message}});
    if (std::chrono::steady_clock::now() - last_renew > config_.claim_timeout / 3) {
      std::vector<std::string> ids;
      {
        std::lock_guard lock(in_flight_mutex_);
        ids.assign(in_flight_.begin(), in_flight_.end());
      }
      if (auto r = queue.renew(ids); !r) log::warn("cannot renew claims", {{"error", r.error().message}});
      gate_.renew_held();
      last_renew = std::chrono::steady_clock::now();
    }
    sleep_unless(stopping_, (moved && *moved > 0) ? 0ms : kHousekeepingTick);
  }
}

}  // namespace tern::worker
