// event_stream.cpp - see event_stream.hpp.
#include "store/redis/event_stream.hpp"

#include "store/redis/keys.hpp"

namespace tern::store {
namespace {

const std::string kStream(keys::kEventStream);

// parse_entries - [[id, [field, value, ...]], ...]; an entry deleted while
// pending comes back with nil fields and is returned with empty fields so
// the caller can acknowledge it.
std::vector<StreamEvent> parse_entries(const RedisValue& entries) {
  std::vector<StreamEvent> out;
  for (const auto& entry : entries.elements) {
    if (entry.elements.size() != 2) continue;
    StreamEvent e;
    e.stream_id = entry.elements[0].str;
    const auto& fields = entry.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      const std::string& f = fields.elements[i].str;
      const std::string& v = fields.elements[i + 1].str;
      if (f == "type") e.type = v;
      else if (f == "team") e.team = v;
      else if (f == "subject_id") e.subject_id = v;
      else if (f == "event") e.event = v;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

EventStreamReader::EventStreamReader(RedisPool& pool, std::string group, std::string consumer)
    : pool_(pool), group_(std::move(group)), consumer_(std::move(consumer)) {}

Result<void> EventStreamReader::ensure_group() {
  auto reply = run(pool_, {"XGROUP", "CREATE", kStream, group_, "0", "MKSTREAM"});
  if (!reply) return tl::unexpected(reply.error());
  if (reply->is_error() && reply->str.rfind("BUSYGROUP", 0) != 0)
    return fail(Errc::unavailable, "redis XGROUP CREATE: " + reply->str);
  return {};
}

Result<std::vector<StreamEvent>> EventStreamReader::read_group(const std::string& from, int max,
                                                               std::chrono::milliseconds block) {
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  std::vector<std::string> cmd = {"XREADGROUP", "GROUP", group_, consumer_, "COUNT", std::to_string(max)};
  if (from == ">") cmd.insert(cmd.end(), {"BLOCK", std::to_string(block.count())});
  cmd.insert(cmd.end(), {"STREAMS", kStream, from});
  (*lease)->set_read_timeout(block + std::chrono::seconds(5));
  auto reply = (*lease)->command(cmd);
  (*lease)->set_read_timeout(std::chrono::seconds(5));
  if (!reply) return tl::unexpected(reply.error());
  if (reply->is_error()) {
    if (reply->str.rfind("NOGROUP", 0) == 0) {
      if (auto made = ensure_group(); !made) return tl::unexpected(made.error());
      return std::vector<StreamEvent>{};
    }
    return fail(Errc::unavailable, "redis XREADGROUP: " + reply->str);
  }
  if (reply->is_nil() || reply->elements.empty()) return std::vector<StreamEvent>{};
  const auto& stream = reply->elements[0];
  if (stream.elements.size() != 2) return std::vector<StreamEvent>{};
  return parse_entries(stream.elements[1]);
}

Result<std::vector<StreamEvent>> EventStreamReader::own_pending(int max) {
  return read_group("0", max, std::chrono::milliseconds(0));
}

Result<std::vector<StreamEvent>> EventStreamReader::read_new(int max, std::chrono::milliseconds block) {
  return read_group(">", max, block);
}

Result<std::vector<StreamEvent>> EventStreamReader::reclaim(int max, std::chrono::milliseconds min_idle) {
  std::vector<StreamEvent> out;
  std::string cursor = "0-0";
  for (int round = 0; round < 100 && int(out.size()) < max; ++round) {
    auto reply = run(pool_, {"XAUTOCLAIM", kStream, group_, consumer_, std::to_string(min_idle.count()), cursor,
                             "COUNT", std::to_string(max - int(out.size()))});
    if (!reply) return tl::unexpected(reply.error());
    if (reply->is_error()) {
      if (reply->str.rfind("NOGROUP", 0) == 0) return out;
      return fail(Errc::unavailable, "redis XAUTOCLAIM: " + reply->str);
    }
    if (reply->elements.size() < 2) break;
    auto more = parse_entries(reply->elements[1]);
    out.insert(out.end(), more.begin(), more.end());
    cursor = reply->elements[0].str;
    if (cursor == "0-0") break;
  }
  return out;
}

Result<void> EventStreamReader::done(const std::string& stream_id) {
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline({{"XACK", kStream, group_, stream_id}, {"XDEL", kStream, stream_id}});
  if (!replies) return tl::unexpected(replies.error());
  for (const auto& r : *replies)
    if (r.is_error()) return fail(Errc::unavailable, "redis: " + r.str);
  return {};
}

}  // namespace tern::store
