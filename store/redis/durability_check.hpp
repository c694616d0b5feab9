// durability_check.hpp - refuse to run on a Redis that would lose mail.
//
// An eviction policy other than noeviction silently drops queued mail: that
// is an error. AOF off, or appendfsync other than always, weakens "accepted
// means durable": that is a warning (Redis 7.0 has no WAITAOF, so only
// appendfsync always fsyncs before replying).
#pragma once

#include <string>
#include <vector>

#include "store/redis/redis_connection.hpp"

namespace tern::store {

// check_durability - warnings to log, or an error that must stop the program.
Result<std::vector<std::string>> check_durability(RedisPool& pool);

}  // namespace tern::store
