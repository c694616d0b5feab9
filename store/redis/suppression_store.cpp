// suppression_store.cpp - the suppression list in Redis (keys.hpp names the
// keys). Adds and removes are Lua scripts so that the check, the change and
// the event are one atomic step; a remove only deletes the entry it read
// (compare-and-delete), so a concurrent re-add is never lost unreported.
#include "store/redis/suppression_store.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "store/redis/keys.hpp"
#include "store/util/ids.hpp"

namespace tern::store {
namespace {

using nlohmann::json;

// Returns {1, doc} when added, {0, existing doc} when listed already.
constexpr const char* kAddScript = R"lua(
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {0, existing} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2])
redis.call('XADD', KEYS[5], '*', 'type', 'suppression.added', 'team', ARGV[5], 'subject_id', ARGV[2],
           'event', ARGV[6])
return {1, ARGV[3]}
)lua";

// Deletes the entry only if it is still exactly the document read before.
constexpr const char* kRemoveScript = R"lua(
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('XADD', KEYS[5], '*', 'type', 'suppression.removed', 'team', ARGV[4], 'subject_id', ARGV[2],
           'event', ARGV[5])
return 1
)lua";

// id -> document in one round trip; nil when unknown.
constexpr const char* kGetByIdScript = R"lua(
local key = redis.call('HGET', KEYS[1], ARGV[1])
if not key then return false end
return redis.call('HGET', KEYS[2], key)
)lua";

// One page of documents, newest first: {has_more, doc...}, or {-1} when the
// cursor is not in the index. ARGV: limit, mode (none|after|before), cursor.
constexpr const char* kListScript = R"lua(
local n = tonumber(ARGV[1])
local ids = {}
local more = 0
if ARGV[2] == 'none' then
  ids = redis.call('ZREVRANGE', KEYS[1], 0, n)
  if #ids > n then more = 1; table.remove(ids) end
else
  local rank = redis.call('ZREVRANK', KEYS[1], ARGV[3])
  if not rank then return {-1} end
  if ARGV[2] == 'after' then
    ids = redis.call('ZREVRANGE', KEYS[1], rank + 1, rank + n + 1)
    if #ids > n then more = 1; table.remove(ids) end
  elseif rank > 0 then
    local first = rank - n
    if first > 0 then more = 1 else first = 0 end
    ids = redis.call('ZREVRANGE', KEYS[1], first, rank - 1)
  end
end
local out = {more}
for _, id in ipairs(ids) do
  local key = redis.call('HGET', KEYS[2], id)
  if key then
    local doc = redis.call('HGET', KEYS[3], key)
    if doc then table.insert(out, doc) end
  end
end
return out
)lua";


std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::vector<std::string> eval_command(const char* script, const std::vector<std::string>& keys_,
                                      const std::vector<std::string>& args) {
  std::vector<std::string> command = {"EVAL", script, std::to_string(keys_.size())};
  command.insert(command.end(), keys_.begin(), keys_.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

// run_pipeline - every command on one connection; any error reply fails.
Result<std::vector<RedisValue>> run_pipeline(RedisPool& pool, const std::vector<std::vector<std::string>>& commands,
                                             std::string_view what) {
  if (commands.empty()) return std::vector<RedisValue>{};
  auto lease = pool.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline(commands);
  if (!replies) return tl::unexpected(replies.error());
  for (const auto& r : *replies)
    if (r.is_error()) return fail(Errc::unavailable, "redis " + std::string(what) + ": " + r.str);
  return replies;
}

Result<std::optional<Suppression>> parse_found(const RedisValue& value) {
  if (value.is_nil() || value.type != RedisValue::Type::string) return std::optional<Suppression>{};
  auto entry = suppression_from_json(value.str);
  if (!entry) return tl::unexpected(entry.error());
  return std::optional<Suppression>(std::move(*entry));
}

std::vector<std::string> add_command(std::string_view team, const Suppression& s, TimePoint now) {
  const std::string t(team);
  return eval_command(kAddScript,
                      {keys::team_suppressions_by_address(t), keys::team_suppressions_by_id(t),
                       keys::team_suppressions(t), keys::team_suppressions_of_origin(t, to_string(s.origin)),
                       std::string(keys::kEventStream)},
                      {suppression_lookup_key(s.email), s.id, suppression_to_json(s),
                       std::to_string(to_unix_ms(s.created_at)), t,
                       suppression_event_json("suppression.added", s, now)});
}

// remove_command - the stored document is canonical (suppression_to_json
// sorts keys), so re-serialising the entry read gives its exact bytes.
std::vector<std::string> remove_command(std::string_view team, const Suppression& s, TimePoint now) {
  const std::string t(team);
  return eval_command(kRemoveScript,
                      {keys::team_suppressions_by_address(t), keys::team_suppressions_by_id(t),
                       keys::team_suppressions(t), keys::team_suppressions_of_origin(t, to_string(s.origin)),
                       std::string(keys::kEventStream)},
                      {suppression_lookup_key(s.email), s.id, suppression_to_json(s), t,
                       suppression_event_json("suppression.removed", s, now)});
}

std::vector<std::string> get_by_id_command(std::string_view team, std::string_view id) {
  return eval_command(kGetByIdScript, {keys::team_suppressions_by_id(team), keys::team_suppressions_by_address(team)},
                      {lower(std::string(id))});
}

}  // namespace

const char* to_string(SuppressionOrigin origin) {
  switch (origin) {
    case SuppressionOrigin::bounce: return "bounce";
    case SuppressionOrigin::complaint: return "complaint";
    case SuppressionOrigin::manual: return "manual";
  }
  return "manual";
}

std::optional<SuppressionOrigin> parse_suppression_origin(std::string_view text) {
  for (auto o : {SuppressionOrigin::bounce, SuppressionOrigin::complaint, SuppressionOrigin::manual})
    if (text == to_string(o)) return o;
  return std::nullopt;
}

std::string normalize_suppressed_address(std::string_view address) {
  std::string a = trim(address);
  auto at = a.rfind('@');
  if (at == std::string::npos) return a;
  return a.substr(0, at + 1) + lower(a.substr(at + 1));
}

std::string suppression_lookup_key(std::string_view address) { return lower(trim(address)); }

std::string suppression_to_json(const Suppression& s) {
  return json{{"id", s.id},
              {"email", s.email},
              {"origin", to_string(s.origin)},
              {"source_id", s.source_id ? json(*s.source_id) : json(nullptr)},
              {"created_at_ms", to_unix_ms(s.created_at)}}
      .dump();
}

Result<Suppression> suppression_from_json(std::string_view text) {
  try {
    json j = json::parse(text);
    Suppression s;
    s.id = j.at("id").get<std::string>();
    s.email = j.at("email").get<std::string>();
    auto origin = parse_suppression_origin(j.at("origin").get<std::string>());
    if (!origin) return fail(Errc::internal, "stored suppression origin unknown");
    s.origin = *origin;
    if (auto it = j.find("source_id"); it != j.end() && !it->is_null()) s.source_id = it->get<std::string>();
    s.created_at = from_unix_ms(j.at("created_at_ms").get<int64_t>());
    return s;
  } catch (const std::exception& e) {
    return fail(Errc::internal, std::string("stored suppression unreadable: ") + e.what());
  }
}

std::string suppression_event_json(std::string_view type, const Suppression& s, TimePoint at) {
  json data{{"id", s.id},
            {"email", s.email},
            {"origin", to_string(s.origin)},
            {"source_id", s.source_id ? json(*s.source_id) : json(nullptr)},
            {"created_at", format_iso8601(s.created_at)}};
  return json{{"type", type}, {"at_ms", to_unix_ms(at)}, {"data", std::move(data)}}.dump();
}

Result<AddedSuppression> SuppressionStore::add(std::string_view team, std::string_view address,
                                               SuppressionOrigin origin, std::optional<std::string> source_id,
                                               TimePoint now) {
  auto added = add_batch(team, {std::string(address)}, origin, std::move(source_id), now);
  if (!added) return tl::unexpected(added.error());
  return std::move(added->front());
}

Result<std::vector<AddedSuppression>> SuppressionStore::add_batch(std::string_view team,
                                                                  const std::vector<std::string>& addresses,
                                                                  SuppressionOrigin origin,
                                                                  std::optional<std::string> source_id,
                                                                  TimePoint now) {
  if (addresses.size() > kMaxBatch)
    return fail(Errc::invalid_argument, "at most " + std::to_string(kMaxBatch) + " addresses per batch");
  std::vector<std::vector<std::string>> commands;
  for (const auto& address : addresses) {
    Suppression s{new_uuid(), normalize_suppressed_address(address), origin, source_id, now};
    commands.push_back(add_command(team, s, now));
  }
  auto replies = run_pipeline(pool_, commands, "add suppression");
  if (!replies) return tl::unexpected(replies.error());
  std::vector<AddedSuppression> out;
  for (const auto& r : *replies) {
    if (r.type != RedisValue::Type::array || r.elements.size() != 2)
      return fail(Errc::protocol, "redis add suppression: unexpected reply");
    auto entry = suppression_from_json(r.elements[1].str);
    if (!entry) return tl::unexpected(entry.error());
    out.push_back(AddedSuppression{std::move(*entry), r.elements[0].integer == 1});
  }
  return out;
}

Result<std::optional<Suppression>> SuppressionStore::is_suppressed(std::string_view team, std::string_view address) {
  auto found = suppressed_among(team, {std::string(address)});
  if (!found) return tl::unexpected(found.error());
  return std::move(found->front());
}

Result<std::vector<std::optional<Suppression>>> SuppressionStore::suppressed_among(
    std::string_view team, const std::vector<std::string>& addresses) {
  std::vector<std::optional<Suppression>> out;
  if (addresses.empty()) return out;
  std::vector<std::string> command = {"HMGET", keys::team_suppressions_by_address(team)};
  for (const auto& a : addresses) command.push_back(suppression_lookup_key(a));
  auto reply = expect_ok(run(pool_, command), "check suppressions");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.size() != addresses.size()) return fail(Errc::protocol, "redis HMGET: wrong reply size");
  for (const auto& value : reply->elements) {
    auto found = parse_found(value);
    if (!found) return tl::unexpected(found.error());
    out.push_back(std::move(*found));
  }
  return out;
}

Result<std::optional<Suppression>> SuppressionStore::get_by_id(std::string_view team, std::string_view id) {
  auto reply = expect_ok(run(pool_, get_by_id_command(team, id)), "get suppression");
  if (!reply) return tl::unexpected(reply.error());
  return parse_found(*reply);
}

Result<std::optional<Suppression>> SuppressionStore::get_by_email(std::string_view team, std::string_view address) {
  return is_suppressed(team, address);
}

Result<SuppressionPage> SuppressionStore::list(std::string_view team, const SuppressionPageRequest& request) {
  if (request.limit < 1 || request.limit > 100 || (request.after && request.before))
    return fail(Errc::invalid_argument, "limit must be 1..100 and only one of after/before");
  const std::string index = request.origin ? keys::team_suppressions_of_origin(team, to_string(*request.origin))
                                           : keys::team_suppressions(team);
  const char* mode = request.after ? "after" : request.before ? "before" : "none";
  std::string cursor = request.after ? lower(*request.after) : request.before ? lower(*request.before) : "";
  auto reply = expect_ok(
      run(pool_, eval_command(kListScript,
                              {index, keys::team_suppressions_by_id(team), keys::team_suppressions_by_address(team)},
                              {std::to_string(request.limit), mode, cursor})),
      "list suppressions");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->type != RedisValue::Type::array || reply->elements.empty())
    return fail(Errc::protocol, "redis list suppressions: unexpected reply");
  SuppressionPage page;
  if (reply->elements[0].integer < 0) return page;  // an unknown cursor: an empty page (api/pagination.hpp)
  page.has_more = reply->elements[0].integer == 1;
  for (std::size_t i = 1; i < reply->elements.size(); ++i) {
    auto entry = suppression_from_json(reply->elements[i].str);
    if (!entry) return tl::unexpected(entry.error());
    page.data.push_back(std::move(*entry));
  }
  return page;
}

Result<std::optional<Suppression>> SuppressionStore::remove_by_id(std::string_view team, std::string_view id,
                                                                  TimePoint now) {
  auto removed = remove_batch_by_ids(team, {std::string(id)}, now);
  if (!removed) return tl::unexpected(removed.error());
  if (removed->empty()) return std::optional<Suppression>{};
  return std::optional<Suppression>(std::move(removed->front()));
}

Result<std::optional<Suppression>> SuppressionStore::remove_by_email(std::string_view team, std::string_view address,
                                                                     TimePoint now) {
  auto removed = remove_batch_by_emails(team, {std::string(address)}, now);
  if (!removed) return tl::unexpected(removed.error());
  if (removed->empty()) return std::optional<Suppression>{};
  return std::optional<Suppression>(std::move(removed->front()));
}

Result<std::vector<Suppression>> SuppressionStore::remove_batch_by_ids(std::string_view team,
                                                                       const std::vector<std::string>& ids,
                                                                       TimePoint now) {
  if (ids.size() > kMaxBatch)
    return fail(Errc::invalid_argument, "at most " + std::to_string(kMaxBatch) + " ids per batch");
  std::vector<std::vector<std::string>> commands;
  for (const auto& id : ids) commands.push_back(get_by_id_command(team, id));
  auto replies = run_pipeline(pool_, commands, "get suppressions");
  if (!replies) return tl::unexpected(replies.error());
  std::vector<Suppression> found;
  for (const auto& r : *replies) {
    auto f = parse_found(r);
    if (!f) return tl::unexpected(f.error());
    if (*f) found.push_back(std::move(**f));
  }
  return remove_found(team, found, now);
}

Result<std::vector<Suppression>> SuppressionStore::remove_batch_by_emails(std::string_view team,
                                                                          const std::vector<std::string>& addresses,
                                                                          TimePoint now) {
  if (addresses.size() > kMaxBatch)
    return fail(Errc::invalid_argument, "at most " + std::to_string(kMaxBatch) + " addresses per batch");
  auto entries = suppressed_among(team, addresses);
  if (!entries) return tl::unexpected(entries.error());
  std::vector<Suppression> found;
  for (auto& e : *entries)
    if (e) found.push_back(std::move(*e));
  return remove_found(team, found, now);
}

// remove_found - compare-and-delete each entry read; one that changed in
// between (removed or re-added by someone else) is left alone and not
// reported as removed here.
Result<std::vector<Suppression>> SuppressionStore::remove_found(std::string_view team,
                                                                const std::vector<Suppression>& found, TimePoint now) {
  std::vector<std::vector<std::string>> commands;
  std::vector<Suppression> unique;
  for (const auto& s : found) {
    if (std::any_of(unique.begin(), unique.end(), [&](const Suppression& u) { return u.id == s.id; })) continue;
    unique.push_back(s);
    commands.push_back(remove_command(team, s, now));
  }
  auto replies = run_pipeline(pool_, commands, "remove suppression");
  if (!replies) return tl::unexpected(replies.error());
  std::vector<Suppression> removed;
  for (std::size_t i = 0; i < replies->size(); ++i)
    if ((*replies)[i].integer == 1) removed.push_back(unique[i]);
  return removed;
}

}  // namespace tern::store
