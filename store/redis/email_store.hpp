// email_store.hpp - accepted emails: create (durably, with the queue entry),
// read, and commit the result of a delivery attempt.
//
// create() writes the content, the state, the team index and the ready-queue
// entry in one MULTI/EXEC; with Redis at appendfsync always the reply comes
// only after the fsync, so a 200 from the API means durable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/redis/email_record.hpp"
#include "store/redis/redis_connection.hpp"

namespace tern::store {

struct StoredEmail {
  EmailContent content;
  EmailState state;
};

struct Job;  // queue.hpp

class EmailStore {
 public:
  explicit EmailStore(RedisPool& pool) : pool_(pool) {}

  // create - content + initial state + index + enqueue (or delayed set when
  // scheduled_at is in the future), atomically.
  Result<void> create(const EmailContent& content, const EmailState& state, const EmailEvent& first_event);

  // get - nullopt when the email does not exist or belongs to another team.
  Result<std::optional<StoredEmail>> get(std::string_view team, std::string_view id);

  // get_any - for the worker: no team check.
  Result<std::optional<StoredEmail>> get_any(std::string_view id);

  // events - the email's event log, oldest first.
  Result<std::vector<EmailEvent>> events(std::string_view id);

  // commit_attempt - store the new state and events, then either finish the
  // job (XACK+XDEL) or move it to the delayed set for retry_at, atomically.
  // Events are also appended to the event stream (keys::kEventStream).
  Result<void> commit_attempt(const Job& job, std::string_view team, const EmailState& state,
                              const std::vector<EmailEvent>& events, std::optional<TimePoint> retry_at);

 private:
  RedisPool& pool_;
};

}  // namespace tern::store
