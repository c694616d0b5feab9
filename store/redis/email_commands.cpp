// email_commands.cpp - see email_commands.hpp.
#include "store/redis/email_commands.hpp"

#include "store/redis/keys.hpp"

namespace tern::store {

std::vector<std::string> publish_event_command(std::string_view team, std::string_view email_id,
                                               const EmailEvent& event) {
  return {"XADD", std::string(keys::kEventStream), "*", "type", event.type, "team", std::string(team),
          "subject_id", std::string(email_id), "event", event_to_json(event)};
}

Commands create_email_commands(const EmailContent& content, const EmailState& state, const EmailEvent& first_event) {
  const std::string key = keys::email(content.id);
  const std::string created = std::to_string(to_unix_ms(content.created_at));
  Commands cmds = {
      {"HSET", key, "team", content.team, "content", content_to_json(content), "summary", summary_to_json(content),
       "state", state_to_json(state), "last_event", state.last_event},
      {"RPUSH", keys::email_events(content.id), event_to_json(first_event)},
      {"ZADD", keys::team_emails(content.team), created, content.id},
      publish_event_command(content.team, content.id, first_event),
  };
  if (content.scheduled_at && *content.scheduled_at > content.created_at) {
    cmds.push_back({"ZADD", std::string(keys::kDelayedSet), std::to_string(to_unix_ms(*content.scheduled_at)),
                    content.id});
  } else {
    cmds.push_back({"XADD", std::string(keys::kReadyStream), "*", "email", content.id});
  }
  return cmds;
}

Result<void> run_transaction(RedisPool& pool, Commands commands, std::string_view what) {
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

}  // namespace tern::store
