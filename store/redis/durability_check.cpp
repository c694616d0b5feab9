#include "store/redis/durability_check.hpp"

namespace tern::store {
namespace {

Result<std::string> config_get(RedisPool& pool, const std::string& name) {
  auto reply = expect_ok(run(pool, {"CONFIG", "GET", name}), "CONFIG GET " + name);
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.size() < 2) return std::string();
  return reply->elements[1].str;
}

}  // namespace

Result<std::vector<std::string>> check_durability(RedisPool& pool) {
  std::vector<std::string> warnings;
  auto policy = config_get(pool, "maxmemory-policy");
  if (!policy) return tl::unexpected(policy.error());
  if (!policy->empty() && *policy != "noeviction")
    return fail(Errc::invalid_argument, "Redis maxmemory-policy is '" + *policy +
                                            "': it would evict queued mail. Set maxmemory-policy noeviction.");
  auto aof = config_get(pool, "appendonly");
  if (!aof) return tl::unexpected(aof.error());
  if (*aof != "yes")
    warnings.push_back("Redis appendonly is off: accepted mail can be lost in a crash (set appendonly yes)");
  auto fsync = config_get(pool, "appendfsync");
  if (!fsync) return tl::unexpected(fsync.error());
  if (*fsync != "always")
    warnings.push_back("Redis appendfsync is '" + *fsync +
                       "': a crash can lose acknowledged mail (set appendfsync always)");
  return warnings;
}

}  // namespace tern::store
