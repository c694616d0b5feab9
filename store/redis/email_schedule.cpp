// email_schedule.cpp - EmailStore::reschedule and EmailStore::cancel.
//
// Both change an email only while it waits for its time: last_event is
// "scheduled" AND its id is in the delayed set. The check and the write
// are one Lua script, and Queue::promote_due (the only other thing that
// takes an id out of the delayed set) is a Lua script too, so Redis runs
// them one after the other: either the promotion came first and the change
// is refused (not_scheduled), or the change came first and a canceled email
// is never promoted. The new content/state documents are computed here
// from a read made before the script; while the email is scheduled nothing
// else writes them, and the script refuses if that stopped being true.
#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"

namespace tern::store {
namespace {

// KEYS: email hash, delayed set, event log. ARGV: id, team, then per mode.
// Returns 1 done, 0 not found (or another team's), -1 not scheduled.
constexpr const char* kRescheduleScript = R"lua(
if redis.call('HGET', KEYS[1], 'team') ~= ARGV[2] then return 0 end
if redis.call('HGET', KEYS[1], 'last_event') ~= 'scheduled' then return -1 end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
redis.call('HSET', KEYS[1], 'content', ARGV[3], 'summary', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
return 1
)lua";

constexpr const char* kCancelScript = R"lua(
if redis.call('HGET', KEYS[1], 'team') ~= ARGV[2] then return 0 end
if redis.call('HGET', KEYS[1], 'last_event') ~= 'scheduled' then return -1 end
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'last_event', 'canceled')
redis.call('RPUSH', KEYS[3], ARGV[4])
return 1
)lua";

ScheduleChange verdict(long long code) {
  if (code == 1) return ScheduleChange::done;
  if (code == 0) return ScheduleChange::not_found;
  return ScheduleChange::not_scheduled;
}

Result<ScheduleChange> run_script(RedisPool& pool, const char* script, std::string_view id,
                                  std::vector<std::string> args, std::string_view what) {
  std::vector<std::string> cmd = {"EVAL", script, "3", keys::email(id), std::string(keys::kDelayedSet),
                                  keys::email_events(id)};
  cmd.insert(cmd.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  auto reply = expect_ok(run(pool, cmd), what);
  if (!reply) return tl::unexpected(reply.error());
  return verdict(reply->integer);
}

}  // namespace

Result<ScheduleChange> EmailStore::reschedule(std::string_view team, std::string_view id, TimePoint at) {
  auto found = get(team, id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return ScheduleChange::not_found;
  StoredEmail& email = **found;
  if (email.state.last_event != "scheduled") return ScheduleChange::not_scheduled;
  email.content.scheduled_at = at;
  return run_script(pool_, kRescheduleScript, id,
                    {std::string(id), std::string(team), content_to_json(email.content),
                     summary_to_json(email.content), std::to_string(to_unix_ms(at))},
                    "reschedule email");
}

Result<ScheduleChange> EmailStore::cancel(std::string_view team, std::string_view id, TimePoint now) {
  auto found = get(team, id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return ScheduleChange::not_found;
  StoredEmail& email = **found;
  if (email.state.last_event != "scheduled") return ScheduleChange::not_scheduled;
  email.state.last_event = "canceled";
  email.state.next_attempt_at.reset();
  EmailEvent event{"email.canceled", now, {}, std::nullopt};
  for (const auto& r : email.state.recipients) event.recipients.push_back(r.address);
  return run_script(pool_, kCancelScript, id,
                    {std::string(id), std::string(team), state_to_json(email.state), event_to_json(event)},
                    "cancel email");
}

}  // namespace tern::store
