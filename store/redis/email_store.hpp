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

// NewEmail - one email of a batch, as create() takes it.
struct NewEmail {
  EmailContent content;
  EmailState state;
  EmailEvent first_event;
};

// EmailPageRequest - a page of the team's emails, newest first. `after` =
// older than that id, `before` = newer than it (at most one is set); the
// cursor itself is never included.
struct EmailPageRequest {
  int limit = 20;
  std::string after;
  std::string before;
};

// EmailPage - list items carry the summary content (no html, text,
// headers, tags or attachments) and a state holding only last_event.
struct EmailPage {
  std::vector<StoredEmail> emails;
  bool has_more = false;
};

// ScheduleChange - the verdict of reschedule() and cancel().
enum class ScheduleChange { done, not_found, not_scheduled };

// AsyncOutcome - see EmailStore::record_async_outcome.
struct AsyncOutcome {
  std::string recipient;
  std::optional<RecipientStatus> status;  // nullopt: keep it (a complaint about a delivered message)
  std::optional<RemoteReply> reply;       // stored as the recipient's last_reply and in the event
  std::string event_type;                 // "email.bounced", "email.complained"
  TimePoint at{};
};

enum class AsyncRecordStatus { recorded, duplicate, unknown_email, unknown_recipient };

struct AsyncRecord {
  AsyncRecordStatus status = AsyncRecordStatus::unknown_email;
  std::string team;       // the email's team (when the email exists)
  std::string recipient;  // the address as stored (when found)
};

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

  // record_async_outcome - what arrives after delivery (a bounce DSN, an
  // abuse report) for one recipient: set its status and reply, set
  // last_event (event_type without "email."), append the event to the log
  // and to keys::kEventStream, atomically (WATCH/MULTI, retried if the
  // email changes meanwhile). The recipient is matched case-insensitively.
  // An event of the same type already naming the recipient makes this a
  // duplicate (nothing written): reports are often sent twice.
  Result<AsyncRecord> record_async_outcome(std::string_view id, const AsyncOutcome& outcome);

  // create_batch - create() for several emails in one MULTI/EXEC: all or
  // none are stored (email_listing.cpp).
  Result<void> create_batch(const std::vector<NewEmail>& emails);

  // list - the team's emails newest first. A cursor that is not one of the
  // team's emails gives an empty page (email_listing.cpp).
  Result<EmailPage> list(std::string_view team, const EmailPageRequest& page);

  // reschedule - move a scheduled email to a new time. Only while it still
  // waits in the delayed set with last_event "scheduled" (checked and
  // written in one Lua script, so a concurrent promotion either happened
  // before, giving not_scheduled, or happens after, at the new time).
  // A time in the past makes it due at once (email_schedule.cpp).
  Result<ScheduleChange> reschedule(std::string_view team, std::string_view id, TimePoint at);

  // cancel - remove a scheduled email from the delayed set and set
  // last_event "canceled", under the same atomic check (email_schedule.cpp).
  Result<ScheduleChange> cancel(std::string_view team, std::string_view id, TimePoint now);

 private:
  RedisPool& pool_;
};

}  // namespace tern::store
