#include "store/redis/api_key_store.hpp"

#include <chrono>

#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"
#include "store/util/ids.hpp"

namespace tern::store {
namespace {

// token_body - 32 random bytes as URL-safe base64 without padding, so the
// token has 256 bits of entropy and is easy for secret scanners to spot.
std::string token_body() {
  std::string b64 = base64_encode(random_bytes(32));
  std::string out;
  for (char c : b64) {
    if (c == '+') out += '-';
    else if (c == '/') out += '_';
    else if (c != '=') out += c;
  }
  return out;
}

ApiKey key_from_hash(const RedisValue& fields) {
  ApiKey k;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& f = fields.elements[i].str;
    const std::string& v = fields.elements[i + 1].str;
    if (f == "id") k.id = v;
    else if (f == "name") k.name = v;
    else if (f == "team") k.team = v;
    else if (f == "permission") k.permission = parse_permission(v).value_or(Permission::sending_access);
    else if (f == "domain_id") k.domain_id = v;
    else if (f == "created_ms") k.created_at = from_unix_ms(std::stoll(v));
    else if (f == "last_used_ms" && !v.empty()) k.last_used_at = from_unix_ms(std::stoll(v));
  }
  return k;
}

constexpr std::chrono::minutes kLastUsedResolution{1};

}  // namespace

const char* to_string(Permission p) { return p == Permission::full_access ? "full_access" : "sending_access"; }

std::optional<Permission> parse_permission(std::string_view text) {
  if (text == "full_access") return Permission::full_access;
  if (text == "sending_access") return Permission::sending_access;
  return std::nullopt;
}

std::string token_hash_hex(std::string_view token) { return hex_encode(sha256(token)); }

Result<CreatedApiKey> ApiKeyStore::create(std::string name, std::string team, Permission permission,
                                          std::string domain_id) {
  CreatedApiKey out;
  out.key = ApiKey{new_uuid(), std::move(name), std::move(team), permission, std::move(domain_id),
                   std::chrono::system_clock::now(), std::nullopt};
  out.token = "re_" + token_body();
  const std::string hash = token_hash_hex(out.token);
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline(
      {{"MULTI"},
       {"HSET", keys::api_key_by_hash(hash), "id", out.key.id, "name", out.key.name, "team", out.key.team,
        "permission", to_string(permission), "domain_id", out.key.domain_id, "created_ms",
        std::to_string(to_unix_ms(out.key.created_at)), "hash", hash},
       {"SET", keys::api_key_by_id(out.key.id), hash},
       {"SADD", keys::team_api_keys(out.key.team), out.key.id},
       {"EXEC"}});
  if (!replies) return tl::unexpected(replies.error());
  const auto& exec = replies->back();
  if (exec.type != RedisValue::Type::array) return fail(Errc::unavailable, "redis: API key not stored");
  for (const auto& r : exec.elements)
    if (r.is_error()) return fail(Errc::unavailable, "redis: " + r.str);
  return out;
}

Result<std::optional<ApiKey>> ApiKeyStore::authenticate(std::string_view token) {
  if (token.size() < 4 || token.size() > 200) return std::optional<ApiKey>{};
  const std::string hash = token_hash_hex(token);
  auto reply = expect_ok(run(pool_, {"HGETALL", keys::api_key_by_hash(hash)}), "authenticate");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.empty()) return std::optional<ApiKey>{};
  // The key name already is the hash; compare the stored copy in constant
  // time anyway so a future index change cannot turn this into a timing leak.
  std::string stored;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2)
    if (reply->elements[i].str == "hash") stored = reply->elements[i + 1].str;
  if (!constant_time_equal(stored, hash)) return std::optional<ApiKey>{};
  ApiKey key = key_from_hash(*reply);
  // last_used_at to the minute: one write per key per minute at most.
  const TimePoint now = std::chrono::system_clock::now();
  if (!key.last_used_at || now - *key.last_used_at >= kLastUsedResolution) {
    auto touched = run(pool_, {"HSET", keys::api_key_by_hash(hash), "last_used_ms", std::to_string(to_unix_ms(now))});
    if (touched && !touched->is_error()) key.last_used_at = now;  // best effort: never fails a request
  }
  return std::optional<ApiKey>(std::move(key));
}

Result<std::vector<ApiKey>> ApiKeyStore::list(std::string_view team) {
  auto ids = expect_ok(run(pool_, {"SMEMBERS", keys::team_api_keys(team)}), "list api keys");
  if (!ids) return tl::unexpected(ids.error());
  std::vector<ApiKey> out;
  for (const auto& id : ids->elements) {
    auto hash = expect_ok(run(pool_, {"GET", keys::api_key_by_id(id.str)}), "get api key");
    if (!hash) return tl::unexpected(hash.error());
    if (hash->is_nil()) continue;
    auto fields = expect_ok(run(pool_, {"HGETALL", keys::api_key_by_hash(hash->str)}), "get api key");
    if (!fields) return tl::unexpected(fields.error());
    if (!fields->elements.empty()) out.push_back(key_from_hash(*fields));
  }
  return out;
}

Result<bool> ApiKeyStore::remove(std::string_view team, std::string_view id) {
  auto hash = expect_ok(run(pool_, {"GET", keys::api_key_by_id(id)}), "get api key");
  if (!hash) return tl::unexpected(hash.error());
  if (hash->is_nil()) return false;
  auto owner = expect_ok(run(pool_, {"HGET", keys::api_key_by_hash(hash->str), "team"}), "get api key");
  if (!owner) return tl::unexpected(owner.error());
  if (owner->str != team) return false;
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline({{"MULTI"},
                                     {"DEL", keys::api_key_by_hash(hash->str)},
                                     {"DEL", keys::api_key_by_id(id)},
                                     {"SREM", keys::team_api_keys(team), std::string(id)},
                                     {"EXEC"}});
  if (!replies) return tl::unexpected(replies.error());
  return true;
}

Result<bool> ApiKeyStore::rename(std::string_view team, std::string_view id, std::string_view name) {
  auto hash = expect_ok(run(pool_, {"GET", keys::api_key_by_id(id)}), "get api key");
  if (!hash) return tl::unexpected(hash.error());
  if (hash->is_nil()) return false;
  auto owner = expect_ok(run(pool_, {"HGET", keys::api_key_by_hash(hash->str), "team"}), "get api key");
  if (!owner) return tl::unexpected(owner.error());
  if (owner->is_nil() || owner->str != team) return false;
  auto set = expect_ok(run(pool_, {"HSET", keys::api_key_by_hash(hash->str), "name", std::string(name)}),
                       "rename api key");
  if (!set) return tl::unexpected(set.error());
  return true;
}

}  // namespace tern::store
