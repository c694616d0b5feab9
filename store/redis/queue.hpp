// queue.hpp - the delivery queue: a Redis Stream with one consumer group
// (at-least-once, survives a worker killed mid-job) and a delayed sorted set
// for retries and scheduled sends.
//
// Never trimmed: entries leave the stream only by XACK+XDEL after their
// result is committed (see EmailStore::commit_attempt), so a pending entry
// is never lost. A job idle longer than the claim timeout in a silent
// worker is taken over by XAUTOCLAIM; a live worker renews its jobs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "store/redis/redis_connection.hpp"

namespace tern::store {

struct Job {
  std::string stream_id;  // the entry id in the ready stream
  std::string email_id;
};

class Queue {
 public:
  Queue(RedisPool& pool, std::string consumer);

  // ensure_group - create the stream and the consumer group if missing.
  Result<void> ensure_group();

  // claim - up to max new jobs, blocking at most `block` for one to arrive.
  Result<std::vector<Job>> claim(int max, std::chrono::milliseconds block);

  // reclaim - up to max jobs idle longer than min_idle in any consumer.
  Result<std::vector<Job>> reclaim(int max, std::chrono::milliseconds min_idle);

  // renew - reset the idle time of jobs this consumer still works on.
  Result<void> renew(const std::vector<std::string>& stream_ids);

  // promote_due - move up to max due entries from the delayed set to the
  // ready stream (one Lua script, Redis TIME as the clock). Returns how many.
  Result<int> promote_due(int max);

  // drop - acknowledge and delete an entry that has nothing to deliver.
  Result<void> drop(const Job& job);

  // depth - ready entries not yet delivered to a consumer plus pending ones,
  // and the delayed count (for health and metrics).
  struct Depth {
    long long ready = 0;
    long long pending = 0;
    long long delayed = 0;
  };
  Result<Depth> depth();

  const std::string& consumer() const { return consumer_; }

 private:
  RedisPool& pool_;
  std::string consumer_;
};

}  // namespace tern::store
