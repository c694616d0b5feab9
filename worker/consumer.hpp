// consumer.hpp - the worker's loop: claim jobs from the ready stream, run a
// delivery attempt, commit its result, and keep the queue healthy.
//
// `concurrency` delivery threads each claim one job at a time (a job first
// taken over from a silent worker, else a new one; looking for silent
// workers' jobs is done by one thread at a time, a few times per
// claim_timeout, not before every claim). One housekeeping thread
// promotes due retries and scheduled sends and renews the claims of jobs in
// flight, so a slow but live delivery is never taken over. Nothing is acked
// before its result is committed: a kill at any point leaves the job
// pending, to be reclaimed after claim_timeout (at-least-once).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dnscheck/resolver.hpp"
#include "store/redis/destination_slots.hpp"
#include "store/redis/email_store.hpp"
#include "store/redis/suppression_store.hpp"
#include "store/redis/queue.hpp"
#include "store/util/clock.hpp"
#include "store/util/config.hpp"
#include "worker/delivery.hpp"
#include "worker/delivery_metrics.hpp"

namespace tern::worker {

class Consumer {
 public:
  Consumer(store::RedisPool& pool, dns::Resolver& resolver, const Clock& clock, DeliveryConfig config,
           std::string consumer_name, SendFunction send, SenderIdentities* senders = nullptr);
  ~Consumer();

  void start();
  void stop();  // finishes jobs in flight, then returns
  void set_metrics(metrics::ServiceMetrics* metrics) { metrics_ = metrics; }  // before start(); null: not counted

 private:
  void delivery_loop(int index);
  void housekeeping_loop();
  void process(const store::Job& job, std::mt19937_64& rng);
  bool stopping() const { return stopping_.load(); }
  bool reclaim_due();  // true for one caller per reclaim interval

  store::RedisPool& pool_;
  dns::Resolver& resolver_;
  const Clock& clock_;
  DeliveryConfig config_;
  std::string name_;
  SendFunction send_;
  SenderIdentities* senders_;
  store::EmailStore emails_;
  store::SuppressionStore suppressions_;
  store::DestinationSlots slots_;
  RedisDestinationGate gate_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> next_reclaim_ms_{0};  // steady clock
  std::vector<std::thread> threads_;
  std::mutex in_flight_mutex_;
  std::set<std::string> in_flight_;  // stream ids this process works on
  metrics::ServiceMetrics* metrics_ = nullptr;
};

}  // namespace tern::worker
