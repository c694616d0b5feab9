// webhook_dispatcher.hpp - turns stored events into signed webhook requests.
//
// Two kinds of threads, none shared with mail delivery, on the Redis pool
// the caller gives (give it a pool of its own so webhooks never take a
// delivery thread's connection):
//   - one fan-out thread reads the event stream through the consumer group
//     "webhooks" (at-least-once). For each event it builds the payload once
//     and enqueues one message per enabled, subscribed webhook of the team
//     (message id derived from the stream entry and the webhook, so a
//     re-run after a crash enqueues nothing twice), and only then
//     acknowledges and deletes the entry.
//   - `senders` threads claim due messages and make one attempt each:
//     SSRF guard (resolve, check every address, pin) -> sign -> POST. The
//     attempt is recorded; a failure (no answer, non-2xx incl. 3xx, refused
//     target) is retried after retry_steps[n-1] for the n-th failure, then
//     abandoned. A webhook failing continuously for disable_after is
//     disabled. Messages of one (webhook, email) go one at a time, in event
//     order, so a healthy endpoint sees an email's events in order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dnscheck/resolver.hpp"
#include "store/redis/event_stream.hpp"
#include "store/redis/webhook_store.hpp"
#include "store/util/clock.hpp"
#include "store/util/service_metrics.hpp"
#include "worker/webhook_sender.hpp"

namespace tern::worker {

struct WebhookConfig {
  bool allow_private = false;  // TERN_WEBHOOK_ALLOW_PRIVATE: loopback/private endpoints allowed
  // Delay before the retry after the n-th failure; attempts = steps + 1
  // (Svix: immediately, then 5s, 5m, 30m, 2h, 5h, 10h, 10h).
  std::vector<std::chrono::milliseconds> retry_steps = {
      std::chrono::seconds(5), std::chrono::minutes(5), std::chrono::minutes(30), std::chrono::hours(2),
      std::chrono::hours(5),   std::chrono::hours(10),  std::chrono::hours(10)};
  std::chrono::milliseconds disable_after = std::chrono::hours(24 * 5);  // continuous failure
  SenderOptions sender{std::chrono::seconds(5), {}, 2048};
  int senders = 4;
  std::chrono::milliseconds claim_timeout = std::chrono::minutes(1);  // stream entries of a silent consumer
  std::chrono::milliseconds read_block = std::chrono::seconds(1);     // one XREADGROUP wait
  std::chrono::milliseconds poll_interval = std::chrono::milliseconds(200);  // when nothing is due
  std::chrono::milliseconds backoff_on_error = std::chrono::seconds(1);
  metrics::ServiceMetrics* metrics = nullptr;  // counts tern_webhook_attempts_total; null: not counted
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(store::RedisPool& pool, dns::Resolver& resolver, const Clock& clock, WebhookConfig config,
                    std::string consumer_name);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  void stop();  // finishes requests in flight (bounded by the sender timeout), then returns

 private:
  void fanout_loop();
  bool fan_out_batch(store::EventStreamReader& reader, const std::vector<store::StreamEvent>& batch);
  Result<void> fan_out(const store::StreamEvent& event);
  Result<std::optional<std::string>> payload_for(const store::StreamEvent& event);
  void sender_loop();
  void deliver(const std::string& message_id);
  store::Finish attempt(const store::WebhookMessage& message, const store::Webhook& webhook, bool& success);
  void idle(std::chrono::milliseconds d);
  void wake();

  store::RedisPool& pool_;
  dns::Resolver& resolver_;
  const Clock& clock_;
  WebhookConfig config_;
  std::string name_;
  store::WebhookStore webhooks_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  uint64_t wake_generation_ = 0;  // bumped by wake(), under mutex_
  std::vector<std::thread> threads_;
};

}  // namespace tern::worker
