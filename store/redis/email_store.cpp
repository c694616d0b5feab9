#include "store/redis/email_store.hpp"

#include <algorithm>
#include <cctype>

#include "store/redis/email_commands.hpp"
#include "store/redis/keys.hpp"
#include "store/redis/queue.hpp"

namespace tern::store {
namespace {

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
  return run_transaction(pool_, create_email_commands(content, state, first_event), "create email");
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
    for (const auto& e : events) cmds.push_back(publish_event_command(team, job.email_id, e));
  }
  if (retry_at)
    cmds.push_back({"ZADD", std::string(keys::kDelayedSet), std::to_string(to_unix_ms(*retry_at)), job.email_id});
  cmds.push_back({"XACK", std::string(keys::kReadyStream), std::string(keys::kWorkerGroup), job.stream_id});
  cmds.push_back({"XDEL", std::string(keys::kReadyStream), job.stream_id});
  return run_transaction(pool_, std::move(cmds), "commit attempt");
}

namespace {

bool same_address(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// already_reported - an event of this type names the recipient already.
bool already_reported(const RedisValue& events, const std::string& type, const std::string& recipient) {
  for (const auto& raw : events.elements) {
    auto e = event_from_json(raw.str);
    if (!e || e->type != type) continue;
    for (const auto& r : e->recipients)
      if (same_address(r, recipient)) return true;
  }
  return false;
}

// AsyncStep - one optimistic try: the outcome, or nullopt when the email
// changed between WATCH and EXEC and the caller should try again.
Result<std::optional<AsyncRecord>> try_record_async(RedisConnection& conn, std::string_view id,
                                                    const AsyncOutcome& outcome) {
  const std::string key = keys::email(id);
  auto watch = expect_ok(conn.command({"WATCH", key}), "watch email");
  if (!watch) return tl::unexpected(watch.error());
  auto unwatch = [&](AsyncRecord record) -> Result<std::optional<AsyncRecord>> {
    (void)conn.command({"UNWATCH"});
    return std::optional<AsyncRecord>(std::move(record));
  };
  auto reply = expect_ok(conn.command({"HMGET", key, "team", "state"}), "read email state");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.size() != 2 || reply->elements[0].is_nil() || reply->elements[1].is_nil())
    return unwatch(AsyncRecord{AsyncRecordStatus::unknown_email, "", ""});
  const std::string team = reply->elements[0].str;
  auto state = state_from_json(reply->elements[1].str);
  if (!state) return tl::unexpected(state.error());
  auto it = std::find_if(state->recipients.begin(), state->recipients.end(),
                         [&](const RecipientState& r) { return same_address(r.address, outcome.recipient); });
  if (it == state->recipients.end()) return unwatch(AsyncRecord{AsyncRecordStatus::unknown_recipient, team, ""});
  const std::string recipient = it->address;
  auto events = expect_ok(conn.command({"LRANGE", keys::email_events(id), "0", "-1"}), "read email events");
  if (!events) return tl::unexpected(events.error());
  if (already_reported(*events, outcome.event_type, recipient))
    return unwatch(AsyncRecord{AsyncRecordStatus::duplicate, team, recipient});

  if (outcome.status) it->status = *outcome.status;
  if (outcome.reply) it->last_reply = outcome.reply;
  const std::string_view type = outcome.event_type;
  state->last_event = std::string(type.substr(0, 6) == "email." ? type.substr(6) : type);
  EmailEvent event{outcome.event_type, outcome.at, {recipient}, outcome.reply};
  auto replies = conn.pipeline({{"MULTI"},
                                {"HSET", key, "state", state_to_json(*state), "last_event", state->last_event},
                                {"RPUSH", keys::email_events(id), event_to_json(event)},
                                publish_event_command(team, id, event),
                                {"EXEC"}});
  if (!replies) return tl::unexpected(replies.error());
  for (const auto& r : *replies)
    if (r.is_error()) return fail(Errc::unavailable, "redis record async outcome: " + r.str);
  if (replies->back().is_nil()) return std::optional<AsyncRecord>{};  // the email changed meanwhile
  return std::optional<AsyncRecord>(AsyncRecord{AsyncRecordStatus::recorded, team, recipient});
}

}  // namespace

Result<AsyncRecord> EmailStore::record_async_outcome(std::string_view id, const AsyncOutcome& outcome) {
  constexpr int kMaxTries = 8;
  for (int attempt = 0; attempt < kMaxTries; ++attempt) {
    auto lease = pool_.acquire();
    if (!lease) return tl::unexpected(lease.error());
    auto result = try_record_async(**lease, id, outcome);
    if (!result) {
      (void)(*lease)->command({"UNWATCH"});  // the connection goes back to the pool clean
      return tl::unexpected(result.error());
    }
    if (*result) return std::move(**result);
  }
  return fail(Errc::unavailable, "email " + std::string(id) + " kept changing; async outcome not recorded");
}

}  // namespace tern::store
