// api_key_store.hpp - API keys, stored only as the SHA-256 of the token.
//
// A token is "re_" + 32 random bytes in base62-ish url-safe text; it is
// returned once at creation and never stored. Lookup hashes the presented
// token and reads one key; comparison of the stored hash is constant-time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/redis/redis_connection.hpp"
#include "store/util/time_format.hpp"

namespace tern::store {

enum class Permission { full_access, sending_access };
const char* to_string(Permission p);
std::optional<Permission> parse_permission(std::string_view text);

struct ApiKey {
  std::string id;
  std::string name;
  std::string team;
  Permission permission = Permission::full_access;
  std::string domain_id;  // sending_access limited to one domain, or empty
  TimePoint created_at{};
  std::optional<TimePoint> last_used_at;  // refreshed by authenticate(), to the minute
};

struct CreatedApiKey {
  ApiKey key;
  std::string token;  // shown once
};

class ApiKeyStore {
 public:
  explicit ApiKeyStore(RedisPool& pool) : pool_(pool) {}

  Result<CreatedApiKey> create(std::string name, std::string team, Permission permission,
                               std::string domain_id = {});
  // authenticate - the key for this token, or nullopt.
  Result<std::optional<ApiKey>> authenticate(std::string_view token);
  Result<std::vector<ApiKey>> list(std::string_view team);
  // remove - false when no such key in this team.
  Result<bool> remove(std::string_view team, std::string_view id);
  // rename - false when no such key in this team.
  Result<bool> rename(std::string_view team, std::string_view id, std::string_view name);

 private:
  RedisPool& pool_;
};

// token_hash_hex - hex SHA-256 of a token (what is stored).
std::string token_hash_hex(std::string_view token);

}  // namespace tern::store
