// idempotency_store.cpp - the record is JSON:
//   reserved:  {"state":"reserved","token":"<hex>","hash":"<hex>"}
//   completed: {"state":"completed","hash":"<hex>","status":200,"response":"<body>"}
#include "store/redis/idempotency_store.hpp"

#include <nlohmann/json.hpp>

#include "store/util/encoding.hpp"

namespace tern::store {
namespace {

using nlohmann::json;

// Returns {1} when reserved, else {0, stored record}.
constexpr const char* kReserveScript = R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
return {0, redis.call('GET', KEYS[1])}
)lua";

// compare-and-set / compare-and-delete on the reservation's token.
constexpr const char* kCompleteScript = R"lua(
local held = redis.call('GET', KEYS[1])
if not held or not string.find(held, ARGV[1], 1, true) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
)lua";

constexpr const char* kReleaseScript = R"lua(
local held = redis.call('GET', KEYS[1])
if held and string.find(held, ARGV[1], 1, true) then redis.call('DEL', KEYS[1]) end
return 1
)lua";

std::string token_marker(std::string_view token) { return "\"token\":\"" + std::string(token) + "\""; }

Result<IdempotencyLookup> parse_record(const std::string& text) {
  try {
    json j = json::parse(text);
    IdempotencyLookup out;
    out.body_hash = j.value("hash", "");
    if (j.value("state", "") == "completed") {
      out.state = IdempotencyState::completed;
      out.status = j.value("status", 200);
      out.response = j.value("response", "");
    } else {
      out.state = IdempotencyState::in_progress;
    }
    return out;
  } catch (const std::exception& e) {
    return fail(Errc::internal, std::string("stored idempotency record unreadable: ") + e.what());
  }
}

}  // namespace

Result<IdempotencyLookup> IdempotencyStore::reserve(const std::string& redis_key, std::string_view body_hash) {
  IdempotencyLookup mine;
  mine.token = hex_encode(random_bytes(16));
  mine.body_hash = std::string(body_hash);
  const std::string record =
      json{{"state", "reserved"}, {"token", mine.token}, {"hash", std::string(body_hash)}}.dump();
  auto reply = expect_ok(run(pool_, {"EVAL", kReserveScript, "1", redis_key, record,
                                     std::to_string(std::chrono::milliseconds(kLockTtl).count())}),
                         "idempotency reserve");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.empty()) return fail(Errc::protocol, "idempotency reserve: unexpected reply");
  if (reply->elements[0].integer == 1) return mine;
  // The record vanished between SET NX and GET (expired): treat as busy,
  // the client retries and will then reserve it.
  if (reply->elements.size() < 2 || reply->elements[1].is_nil()) {
    IdempotencyLookup busy;
    busy.state = IdempotencyState::in_progress;
    return busy;
  }
  return parse_record(reply->elements[1].str);
}

Result<bool> IdempotencyStore::complete(const std::string& redis_key, std::string_view token,
                                        std::string_view body_hash, int status, std::string_view response) {
  const std::string record = json{{"state", "completed"},
                                  {"hash", std::string(body_hash)},
                                  {"status", status},
                                  {"response", std::string(response)}}
                                 .dump(-1, ' ', false, json::error_handler_t::replace);
  auto reply = expect_ok(run(pool_, {"EVAL", kCompleteScript, "1", redis_key, token_marker(token), record,
                                     std::to_string(std::chrono::milliseconds(kRecordTtl).count())}),
                         "idempotency complete");
  if (!reply) return tl::unexpected(reply.error());
  return reply->integer == 1;
}

Result<void> IdempotencyStore::release(const std::string& redis_key, std::string_view token) {
  auto reply =
      expect_ok(run(pool_, {"EVAL", kReleaseScript, "1", redis_key, token_marker(token)}), "idempotency release");
  if (!reply) return tl::unexpected(reply.error());
  return {};
}

}  // namespace tern::store
