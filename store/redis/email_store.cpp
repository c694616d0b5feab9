#include "store/redis/email_store.hpp"

#include "store/redis/keys.hpp"
#include "store/redis/queue.hpp"

namespace tern::store {
namespace {

// exec_transaction - MULTI, the commands, EXEC in one pipeline; an error
// reply anywhere (queueing or execution) fails the whole call.
Result<void> exec_transaction(RedisPool& pool, std::vector<std::vector<std::string>> commands,
                              std::string_view what) {
  commands.insert(commands.begin(), {"MULTI"});
  commands.push_back({"EXEC"});
  auto lease = pool.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline(commands);
  if (!replies) return tl::unexpected(replies.error());
  for (const auto& r : *replies)
    if (r.is_error()) return fail(Errc::unavailable, "redis " + std::string(what) + ": " + r.str);
  const RedisValue& exec = replies->back();
  if (exec.type != RedisValue::Type::array)
    return fail(Errc::unavailable, "redis " + std::string(what) + ": transaction aborted");
  for (const auto& r : exec.elements)
    if (r.is_error()) return fail(Errc::unavailable, "redis " + std::string(what) + ": " + r.str);
  return {};
}

std::vector<std::string> publish_event(std::string_view team, std::string_view email_id, const EmailEvent& e) {
  return {"XADD", std::string(keys::kEventStream), "*", "type", e.type, "team", std::string(team), "subject_id",
          std::string(email_id), "event", event_to_json(e)};
}

Result<std::optional<StoredEmail>> parse_stored(const RedisValue& reply, std::string_view team) {
  if (reply.type != RedisValue::Type::array || reply.elements.size() != 3 || reply.elements[0].is_nil())
    return std::optional<StoredEmail>{};
  if (!team.empty() && reply.elements[0].str != team) return std::optional<StoredEmail>{};
  auto content = content_from_json(reply.elements[1].str);
  if (!content) return tl::unexpected(content.error());
  auto state = state_from_json(reply.elements[2].str);
  if (!state) return tl::unexpected(state.error());
  return std::optional<StoredEmail>(StoredEmail{std::move(*content), std::move(*state)});
}

}  // namespace

Result<void> EmailStore::create(const EmailContent& content, const EmailState& state, const EmailEvent& first_event) {
  const std::string key = keys::email(content.id);
  const std::string created = std::to_string(to_unix_ms(content.created_at));
  std::vector<std::vector<std::string>> cmds = {
      {"HSET", key, "team", content.team, "content", content_to_json(content), "state", state_to_json(state),
       "last_event", state.last_event},
      {"RPUSH", keys::email_events(content.id), event_to_json(first_event)},
      {"ZADD", keys::team_emails(content.team), created, content.id},
      publish_event(content.team, content.id, first_event),
  };
  if (content.scheduled_at && *content.scheduled_at > content.created_at) {
    cmds.push_back({"ZADD", std::string(keys::kDelayedSet), std::to_string(to_unix_ms(*content.scheduled_at)),
                    content.id});
  } else {
    cmds.push_back({"XADD", std::string(keys::kReadyStream), "*", "email", content.id});
  }
  return exec_transaction(pool_, std::move(cmds), "create email");
}

Result<std::optional<StoredEmail>> EmailStore::get(std::string_view team, std::string_view id) {
  auto reply = expect_ok(run(pool_, {"HMGET", keys::email(id), "team", "content", "state"}), "get email");
  if (!reply) return tl::unexpected(reply.error());
  return parse_stored(*reply, team.empty() ? std::string_view("\x01") : team);
}

Result<std::optional<StoredEmail>> EmailStore::get_any(std::string_view id) {
  auto reply = expect_ok(run(pool_, {"HMGET", keys::email(id), "team", "content", "state"}), "get email");
  if (!reply) return tl::unexpected(reply.error());
  return parse_stored(*reply, {});
}

Result<std::vector<EmailEvent>> EmailStore::events(std::string_view id) {
  auto reply = expect_ok(run(pool_, {"LRANGE", keys::email_events(id), "0", "-1"}), "email events");
  if (!reply) return tl::unexpected(reply.error());
  std::vector<EmailEvent> out;
  for (const auto& e : reply->elements) {
    auto ev = event_from_json(e.str);
    if (!ev) return tl::unexpected(ev.error());
    out.push_back(std::move(*ev));
  }
  return out;
}

Result<void> EmailStore::commit_attempt(const Job& job, std::string_view team, const EmailState& state,
                                        const std::vector<EmailEvent>& events, std::optional<TimePoint> retry_at) {
  std::vector<std::vector<std::string>> cmds = {
      {"HSET", keys::email(job.email_id), "state", state_to_json(state), "last_event", state.last_event}};
  if (!events.empty()) {
    std::vector<std::string> push = {"RPUSH", keys::email_events(job.email_id)};
    for (const auto& e : events) push.push_back(event_to_json(e));
    cmds.push_back(std::move(push));
    for (const auto& e : events) cmds.push_back(publish_event(team, job.email_id, e));
  }
  if (retry_at)
    cmds.push_back({"ZADD", std::string(keys::kDelayedSet), std::to_string(to_unix_ms(*retry_at)), job.email_id});
  cmds.push_back({"XACK", std::string(keys::kReadyStream), std::string(keys::kWorkerGroup), job.stream_id});
  cmds.push_back({"XDEL", std::string(keys::kReadyStream), job.stream_id});
  return exec_transaction(pool_, std::move(cmds), "commit attempt");
}

}  // namespace tern::store
