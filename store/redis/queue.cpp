#include "store/redis/queue.hpp"

#include "store/redis/keys.hpp"

namespace tern::store {
namespace {

// Moves due ids from the delayed set to the ready stream. Redis TIME is the
// clock so every worker agrees on "due"; one script keeps ZREM and XADD
// atomic, so an id is never in both places nor in neither.
constexpr const char* kPromoteScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('XADD', KEYS[2], '*', 'email', id)
end
return #due
)lua";

// parse_entries - [[id, [field, value, ...]], ...] -> jobs; entries whose
// fields are nil (deleted while pending) are skipped.
std::vector<Job> parse_entries(const RedisValue& entries) {
  std::vector<Job> jobs;
  for (const auto& entry : entries.elements) {
    if (entry.elements.size() != 2) continue;
    const auto& fields = entry.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2)
      if (fields.elements[i].str == "email") jobs.push_back(Job{entry.elements[0].str, fields.elements[i + 1].str});
  }
  return jobs;
}

const std::string kStream(keys::kReadyStream);
const std::string kGroup(keys::kWorkerGroup);

}  // namespace

Queue::Queue(RedisPool& pool, std::string consumer) : pool_(pool), consumer_(std::move(consumer)) {}

Result<void> Queue::ensure_group() {
  auto reply = run(pool_, {"XGROUP", "CREATE", kStream, kGroup, "0", "MKSTREAM"});
  if (!reply) return tl::unexpected(reply.error());
  if (reply->is_error() && reply->str.rfind("BUSYGROUP", 0) != 0)
    return fail(Errc::unavailable, "redis XGROUP CREATE: " + reply->str);
  return {};
}

Result<std::vector<Job>> Queue::claim(int max, std::chrono::milliseconds block) {
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  (*lease)->set_read_timeout(block + std::chrono::seconds(5));
  auto reply = (*lease)->command({"XREADGROUP", "GROUP", kGroup, consumer_, "COUNT", std::to_string(max), "BLOCK",
                                  std::to_string(block.count()), "STREAMS", kStream, ">"});
  (*lease)->set_read_timeout(std::chrono::seconds(5));
  if (!reply) return tl::unexpected(reply.error());
  if (reply->is_error()) {
    if (reply->str.rfind("NOGROUP", 0) == 0) {
      auto made = ensure_group();
      if (!made) return tl::unexpected(made.error());
      return std::vector<Job>{};
    }
    return fail(Errc::unavailable, "redis XREADGROUP: " + reply->str);
  }
  if (reply->is_nil() || reply->elements.empty()) return std::vector<Job>{};
  const auto& stream = reply->elements[0];
  if (stream.elements.size() != 2) return std::vector<Job>{};
  return parse_entries(stream.elements[1]);
}

Result<std::vector<Job>> Queue::reclaim(int max, std::chrono::milliseconds min_idle) {
  std::vector<Job> jobs;
  std::string cursor = "0-0";
  // XAUTOCLAIM scans at most COUNT*10 entries per call: follow the cursor.
  for (int round = 0; round < 100 && int(jobs.size()) < max; ++round) {
    auto reply = expect_ok(run(pool_, {"XAUTOCLAIM", kStream, kGroup, consumer_, std::to_string(min_idle.count()),
                                       cursor, "COUNT", std::to_string(max - int(jobs.size()))}),
                           "XAUTOCLAIM");
    if (!reply) return tl::unexpected(reply.error());
    if (reply->elements.size() < 2) break;
    auto more = parse_entries(reply->elements[1]);
    jobs.insert(jobs.end(), more.begin(), more.end());
    cursor = reply->elements[0].str;
    if (cursor == "0-0") break;
  }
  return jobs;
}

Result<void> Queue::renew(const std::vector<std::string>& stream_ids) {
  if (stream_ids.empty()) return {};
  std::vector<std::string> cmd = {"XCLAIM", kStream, kGroup, consumer_, "0"};
  cmd.insert(cmd.end(), stream_ids.begin(), stream_ids.end());
  cmd.push_back("JUSTID");
  auto reply = expect_ok(run(pool_, cmd), "XCLAIM");
  if (!reply) return tl::unexpected(reply.error());
  return {};
}

Result<int> Queue::promote_due(int max) {
  auto reply = expect_ok(
      run(pool_, {"EVAL", kPromoteScript, "2", std::string(keys::kDelayedSet), kStream, std::to_string(max)}),
      "promote due");
  if (!reply) return tl::unexpected(reply.error());
  return int(reply->integer);
}

Result<void> Queue::drop(const Job& job) {
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline({{"XACK", kStream, kGroup, job.stream_id}, {"XDEL", kStream, job.stream_id}});
  if (!replies) return tl::unexpected(replies.error());
  return {};
}

Result<Queue::Depth> Queue::depth() {
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline({{"XLEN", kStream},
                                     {"XPENDING", kStream, kGroup},
                                     {"ZCARD", std::string(keys::kDelayedSet)}});
  if (!replies) return tl::unexpected(replies.error());
  Depth d;
  long long total = (*replies)[0].integer;
  const auto& pending = (*replies)[1];
  if (pending.type == RedisValue::Type::array && !pending.elements.empty()) d.pending = pending.elements[0].integer;
  d.ready = total - d.pending;
  d.delayed = (*replies)[2].integer;
  return d;
}

}  // namespace tern::store
