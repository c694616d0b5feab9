// domain_store.cpp - domains in Redis (keys.hpp): a hash per domain with
// {team, name, doc}, the team's ZSET by creation time, the global name -> id
// key and the re-check ZSET. Every write that touches more than one key is
// one Lua script, so a name is claimed, a domain stored, indexed and its
// event published all at once, or not at all: two concurrent creates of one
// name cannot both win, and a crash leaves no half-written domain.
#include "store/redis/domain_store.hpp"

#include <nlohmann/json.hpp>

#include "store/redis/keys.hpp"

namespace tern::store {
namespace {

using json = nlohmann::json;

// Claim the name (SET NX), then store, index and publish. 0 = name taken.
constexpr const char* kCreateScript = R"lua(
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('HSET', KEYS[2], 'team', ARGV[2], 'name', ARGV[3], 'doc', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1]) end
redis.call('XADD', KEYS[5], '*', 'type', 'domain.created', 'team', ARGV[2], 'subject_id', ARGV[1], 'event', ARGV[7])
return 1
)lua";

// Replace the document of an existing domain of this team and name.
// 0 = no such domain for the team, -1 = the name differs.
constexpr const char* kUpdateScript = R"lua(
if redis.call('HGET', KEYS[1], 'team') ~= ARGV[2] then return 0 end
if redis.call('HGET', KEYS[1], 'name') ~= ARGV[3] then return -1 end
redis.call('HSET', KEYS[1], 'doc', ARGV[4])
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1]) else redis.call('ZREM', KEYS[2], ARGV[1]) end
if ARGV[6] ~= '' then
  redis.call('XADD', KEYS[3], '*', 'type', 'domain.updated', 'team', ARGV[2], 'subject_id', ARGV[1], 'event', ARGV[6])
end
return 1
)lua";

// Delete the domain and free its name (only if the name still points here).
constexpr const char* kRemoveScript = R"lua(
if redis.call('HGET', KEYS[1], 'team') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('XADD', KEYS[5], '*', 'type', 'domain.deleted', 'team', ARGV[2], 'subject_id', ARGV[1], 'event', ARGV[3])
return 1
)lua";

// Take up to ARGV[2] ids due at ARGV[1] and push them ARGV[3] ms ahead.
constexpr const char* kClaimDueScript = R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[3]), id) end
return ids
)lua";

std::string ms(TimePoint t) { return std::to_string(to_unix_ms(t)); }

json optional_ms(const std::optional<TimePoint>& t) { return t ? json(to_unix_ms(*t)) : json(nullptr); }

std::optional<TimePoint> read_optional_ms(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return from_unix_ms(it->get<int64_t>());
}

json record_to_json(const StoredDnsRecord& r) {
  json j{{"record", r.record}, {"name", r.name},   {"type", r.type},       {"value", r.value},
         {"ttl", r.ttl},       {"status", r.status}, {"found", r.found}, {"problem", r.problem}};
  j["priority"] = r.priority ? json(*r.priority) : json(nullptr);
  return j;
}

StoredDnsRecord record_from_json(const json& j) {
  StoredDnsRecord r;
  r.record = j.at("record").get<std::string>();
  r.name = j.at("name").get<std::string>();
  r.type = j.at("type").get<std::string>();
  r.value = j.at("value").get<std::string>();
  r.ttl = j.value("ttl", std::string("Auto"));
  r.status = j.value("status", std::string("not_started"));
  r.found = j.value("found", std::string());
  r.problem = j.value("problem", std::string());
  if (auto it = j.find("priority"); it != j.end() && !it->is_null()) r.priority = it->get<int>();
  return r;
}

// public_record - a record as Resend's API and webhooks show it.
json public_record(const StoredDnsRecord& r) {
  json j{{"record", r.record}, {"name", r.name},     {"type", r.type},
         {"ttl", r.ttl},       {"status", r.status}, {"value", r.value}};
  if (r.priority) j["priority"] = *r.priority;
  return j;
}

Result<RedisValue> eval(RedisPool& pool, const char* script, const std::vector<std::string>& keys_,
                        const std::vector<std::string>& args, std::string_view what) {
  std::vector<std::string> command = {"EVAL", script, std::to_string(keys_.size())};
  command.insert(command.end(), keys_.begin(), keys_.end());
  command.insert(command.end(), args.begin(), args.end());
  return expect_ok(run(pool, command), what);
}

// parse_domain_reply - an HMGET team name doc reply as a Domain of `team`.
Result<std::optional<Domain>> parse_domain_reply(const RedisValue& reply, std::string_view team) {
  if (reply.type != RedisValue::Type::array || reply.elements.size() != 3 || reply.elements[0].is_nil())
    return std::optional<Domain>{};
  if (reply.elements[0].str != team) return std::optional<Domain>{};
  auto domain = domain_from_json(reply.elements[2].str);
  if (!domain) return tl::unexpected(domain.error());
  return std::optional<Domain>(std::move(*domain));
}

}  // namespace

std::string domain_to_json(const Domain& d) {
  json records = json::array();
  for (const auto& r : d.records) records.push_back(record_to_json(r));
  json keys_ = json::array();
  for (const auto& k : d.dkim_keys)
    keys_.push_back({{"selector", k.selector},
                     {"key_type", k.key_type},
                     {"public_key", k.public_key},
                     {"sealed_private_key", k.sealed_private_key}});
  json j{{"id", d.id},
         {"team", d.team},
         {"name", d.name},
         {"status", d.status},
         {"region", d.region},
         {"custom_return_path", d.custom_return_path},
         {"tls", d.tls},
         {"open_tracking", d.open_tracking},
         {"click_tracking", d.click_tracking},
         {"created_ms", to_unix_ms(d.created_at)},
         {"verification_started_ms", optional_ms(d.verification_started_at)},
         {"last_checked_ms", optional_ms(d.last_checked_at)},
         {"next_check_ms", optional_ms(d.next_check_at)},
         {"records", std::move(records)},
         {"dmarc", record_to_json(d.dmarc)},
         {"dkim_keys", std::move(keys_)}};
  return j.dump();
}

Result<Domain> domain_from_json(std::string_view text) {
  try {
    json j = json::parse(text);
    Domain d;
    d.id = j.at("id").get<std::string>();
    d.team = j.at("team").get<std::string>();
    d.name = j.at("name").get<std::string>();
    d.status = j.at("status").get<std::string>();
    d.region = j.value("region", std::string("us-east-1"));
    d.custom_return_path = j.value("custom_return_path", std::string("send"));
    d.tls = j.value("tls", std::string("opportunistic"));
    d.open_tracking = j.value("open_tracking", false);
    d.click_tracking = j.value("click_tracking", false);
    d.created_at = from_unix_ms(j.at("created_ms").get<int64_t>());
    d.verification_started_at = read_optional_ms(j, "verification_started_ms");
    d.last_checked_at = read_optional_ms(j, "last_checked_ms");
    d.next_check_at = read_optional_ms(j, "next_check_ms");
    for (const auto& r : j.at("records")) d.records.push_back(record_from_json(r));
    d.dmarc = record_from_json(j.at("dmarc"));
    for (const auto& k : j.at("dkim_keys"))
      d.dkim_keys.push_back(DkimKeyRecord{k.at("selector").get<std::string>(), k.at("key_type").get<std::string>(),
                                          k.at("public_key").get<std::string>(),
                                          k.at("sealed_private_key").get<std::string>()});
    return d;
  } catch (const std::exception& ex) {
    return fail(Errc::internal, std::string("stored domain is unreadable: ") + ex.what());
  }
}

std::string domain_event_json(std::string_view type, const Domain& d, TimePoint at) {
  json records = json::array();
  for (const auto& r : d.records) records.push_back(public_record(r));
  json data{{"id", d.id},
            {"name", d.name},
            {"status", d.status},
            {"created_at", format_iso8601(d.created_at)},
            {"region", d.region},
            {"capabilities", {{"sending", "enabled"}, {"receiving", "disabled"}}},
            {"records", std::move(records)}};
  return json{{"type", type}, {"at_ms", to_unix_ms(at)}, {"data", std::move(data)}}.dump();
}

Result<void> DomainStore::create(const Domain& d) {
  const std::string next = d.next_check_at ? ms(*d.next_check_at) : std::string();
  auto reply = eval(pool_, kCreateScript,
                    {keys::domain_by_name(d.name), keys::domain(d.id), keys::team_domains(d.team),
                     std::string(keys::kDomainRecheckSet), std::string(keys::kEventStream)},
                    {d.id, d.team, d.name, domain_to_json(d), ms(d.created_at), next,
                     domain_event_json("domain.created", d, d.created_at)},
                    "create domain");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->integer == 0)
    return fail(Errc::conflict, "The `" + d.name + "` domain has been registered already.");
  return {};
}

Result<std::optional<Domain>> DomainStore::get(std::string_view team, std::string_view id) {
  auto reply = expect_ok(run(pool_, {"HMGET", keys::domain(id), "team", "name", "doc"}), "get domain");
  if (!reply) return tl::unexpected(reply.error());
  return parse_domain_reply(*reply, team);
}

Result<std::optional<Domain>> DomainStore::find_by_name(std::string_view team, std::string_view name) {
  auto id = expect_ok(run(pool_, {"GET", keys::domain_by_name(name)}), "find domain");
  if (!id) return tl::unexpected(id.error());
  if (id->is_nil()) return std::optional<Domain>{};
  return get(team, id->str);
}

Result<std::vector<Domain>> DomainStore::list(std::string_view team) {
  auto ids = expect_ok(run(pool_, {"ZREVRANGE", keys::team_domains(team), "0", "-1"}), "list domains");
  if (!ids) return tl::unexpected(ids.error());
  std::vector<Domain> out;
  if (ids->elements.empty()) return out;
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids->elements) reads.push_back({"HMGET", keys::domain(id.str), "team", "name", "doc"});
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline(reads);
  if (!replies) return tl::unexpected(replies.error());
  for (const auto& reply : *replies) {
    if (reply.is_error()) return fail(Errc::unavailable, "redis list domains: " + reply.str);
    auto domain = parse_domain_reply(reply, team);
    if (!domain) return tl::unexpected(domain.error());
    if (*domain) out.push_back(std::move(**domain));
  }
  return out;
}

Result<void> DomainStore::update(const Domain& d) { return update(d, true); }

Result<void> DomainStore::update(const Domain& d, bool publish_event) {
  const std::string next = d.next_check_at ? ms(*d.next_check_at) : std::string();
  const std::string event =
      publish_event ? domain_event_json("domain.updated", d, std::chrono::system_clock::now()) : "";
  auto reply = eval(pool_, kUpdateScript,
                    {keys::domain(d.id), std::string(keys::kDomainRecheckSet), std::string(keys::kEventStream)},
                    {d.id, d.team, d.name, domain_to_json(d), next, event}, "update domain");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->integer == 0) return fail(Errc::not_found, "Domain not found.");
  if (reply->integer < 0) return fail(Errc::invalid_argument, "a domain's name cannot change");
  return {};
}

Result<bool> DomainStore::remove(std::string_view team, std::string_view id) {
  auto found = get(team, id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return false;
  const Domain& d = **found;
  auto reply = eval(pool_, kRemoveScript,
                    {keys::domain(d.id), keys::domain_by_name(d.name), keys::team_domains(d.team),
                     std::string(keys::kDomainRecheckSet), std::string(keys::kEventStream)},
                    {d.id, d.team, domain_event_json("domain.deleted", d, std::chrono::system_clock::now())},
                    "remove domain");
  if (!reply) return tl::unexpected(reply.error());
  return reply->integer == 1;
}

Result<std::vector<std::pair<std::string, std::string>>> DomainStore::due_for_check(TimePoint now, int max) {
  const auto lease_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kRecheckLease).count();
  auto ids = eval(pool_, kClaimDueScript, {std::string(keys::kDomainRecheckSet)},
                  {ms(now), std::to_string(max > 0 ? max : 1), std::to_string(lease_ms)}, "claim due domains");
  if (!ids) return tl::unexpected(ids.error());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& id : ids->elements) {
    auto team = expect_ok(run(pool_, {"HGET", keys::domain(id.str), "team"}), "due domain");
    if (!team) return tl::unexpected(team.error());
    if (team->is_nil()) {  // deleted since it was scheduled: drop the stale entry
      run(pool_, {"ZREM", std::string(keys::kDomainRecheckSet), id.str});
      continue;
    }
    out.emplace_back(team->str, id.str);
  }
  return out;
}

}  // namespace tern::store
