// event_stream.hpp - reading the event stream (keys::kEventStream) through
// a consumer group, at-least-once.
//
// Entries are {type, team, subject_id, event}, XADDed by the stores in the
// order events happen (EmailStore for email.*, DomainStore for domain.*).
// A reader takes its own unacknowledged entries first (after a failure
// half-way through a batch), then entries idle too long in a silent
// consumer (XAUTOCLAIM), then new ones; done() acknowledges and deletes an
// entry once its consequences are committed. Nothing trims the stream.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "store/redis/redis_connection.hpp"

namespace tern::store {

struct StreamEvent {
  std::string stream_id;   // "1700000000000-0": also when it was added (ms)
  std::string type;        // "email.delivered", "domain.created", ...
  std::string team;
  std::string subject_id;  // email or domain id
  std::string event;       // JSON: event_to_json for email.*, the data object for domain.*
};

class EventStreamReader {
 public:
  EventStreamReader(RedisPool& pool, std::string group, std::string consumer);

  // ensure_group - create the stream and group (from the start) if missing.
  Result<void> ensure_group();
  // own_pending - entries delivered to this consumer and not yet done.
  Result<std::vector<StreamEvent>> own_pending(int max);
  // reclaim - entries idle longer than min_idle in any consumer.
  Result<std::vector<StreamEvent>> reclaim(int max, std::chrono::milliseconds min_idle);
  // read_new - new entries, waiting at most `block` for the first.
  Result<std::vector<StreamEvent>> read_new(int max, std::chrono::milliseconds block);
  // done - XACK + XDEL.
  Result<void> done(const std::string& stream_id);

 private:
  Result<std::vector<StreamEvent>> read_group(const std::string& from, int max, std::chrono::milliseconds block);

  RedisPool& pool_;
  std::string group_;
  std::string consumer_;
};

}  // namespace tern::store
