// email_listing.cpp - EmailStore::create_batch and EmailStore::list.
//
// The team index is a ZSET of ids scored by creation time (ms). Pages are
// cut by rank in ZREVRANGE order (newest first, ties broken by id), found
// from the cursor's ZREVRANK in the same Lua script so a page is one
// consistent snapshot. One extra id is read to answer has_more.
#include "store/redis/email_commands.hpp"
#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"

namespace tern::store {
namespace {

// ARGV: limit, mode (first|after|before), cursor. Returns {found, ids...};
// found 0 = the cursor is not in the index. Up to limit + 1 ids.
constexpr const char* kPageScript = R"lua(
local limit = tonumber(ARGV[1])
if ARGV[2] == 'first' then
  local ids = redis.call('ZREVRANGE', KEYS[1], 0, limit)
  table.insert(ids, 1, 1)
  return ids
end
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[3])
if not rank then return {0} end
local ids
if ARGV[2] == 'after' then
  ids = redis.call('ZREVRANGE', KEYS[1], rank + 1, rank + 1 + limit)
elseif rank == 0 then
  ids = {}
else
  local start = rank - limit - 1
  if start < 0 then start = 0 end
  ids = redis.call('ZREVRANGE', KEYS[1], start, rank - 1)
end
table.insert(ids, 1, 1)
return ids
)lua";

// page_ids - the ids of one page and has_more.
Result<std::pair<std::vector<std::string>, bool>> page_ids(RedisPool& pool, std::string_view team,
                                                            const EmailPageRequest& page) {
  const std::string mode = !page.after.empty() ? "after" : !page.before.empty() ? "before" : "first";
  const std::string cursor = !page.after.empty() ? page.after : page.before;
  auto reply = expect_ok(run(pool, {"EVAL", kPageScript, "1", keys::team_emails(team), std::to_string(page.limit),
                                    mode, cursor}),
                         "list emails");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.empty() || reply->elements[0].integer == 0)  // unknown cursor: an empty page
    return std::make_pair(std::vector<std::string>{}, false);
  std::vector<std::string> ids;
  for (std::size_t i = 1; i < reply->elements.size(); ++i) ids.push_back(reply->elements[i].str);
  const bool has_more = ids.size() > static_cast<std::size_t>(page.limit);
  if (has_more) {
    // "before" reads towards newer emails: the extra one is the newest.
    if (mode == "before") ids.erase(ids.begin());
    else ids.pop_back();
  }
  return std::make_pair(std::move(ids), has_more);
}

// list_item - summary (or, for emails stored before summaries existed, the
// full content) and last_event.
Result<std::optional<StoredEmail>> list_item(const RedisValue& fields, RedisPool& pool, std::string_view id) {
  if (fields.elements.size() != 3 || fields.elements[0].is_nil()) return std::optional<StoredEmail>{};
  std::string summary = fields.elements[1].str;
  if (fields.elements[1].is_nil()) {
    auto content = expect_ok(run(pool, {"HGET", keys::email(id), "content"}), "get email");
    if (!content) return tl::unexpected(content.error());
    summary = content->str;
  }
  auto content = content_from_json(summary);
  if (!content) return tl::unexpected(content.error());
  StoredEmail email;
  email.content = std::move(*content);
  email.state.last_event = fields.elements[2].str;
  return std::optional<StoredEmail>(std::move(email));
}

}  // namespace

Result<void> EmailStore::create_batch(const std::vector<NewEmail>& emails) {
  if (emails.empty()) return {};
  Commands cmds;
  for (const auto& email : emails) {
    auto one = create_email_commands(email.content, email.state, email.first_event);
    cmds.insert(cmds.end(), std::make_move_iterator(one.begin()), std::make_move_iterator(one.end()));
  }
  return run_transaction(pool_, std::move(cmds), "create email batch");
}

Result<EmailPage> EmailStore::list(std::string_view team, const EmailPageRequest& page) {
  auto ids = page_ids(pool_, team, page);
  if (!ids) return tl::unexpected(ids.error());
  EmailPage out;
  out.has_more = ids->second;
  if (ids->first.empty()) return out;
  Commands reads;
  for (const auto& id : ids->first) reads.push_back({"HMGET", keys::email(id), "team", "summary", "last_event"});
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline(reads);
  if (!replies) return tl::unexpected(replies.error());
  for (std::size_t i = 0; i < replies->size(); ++i) {
    if ((*replies)[i].is_error()) return fail(Errc::unavailable, "redis list emails: " + (*replies)[i].str);
    auto item = list_item((*replies)[i], pool_, ids->first[i]);
    if (!item) return tl::unexpected(item.error());
    if (*item && (*item)->content.team == team) out.emails.push_back(std::move(**item));
  }
  return out;
}

}  // namespace tern::store
