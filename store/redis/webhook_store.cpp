// webhook_store.cpp - see webhook_store.hpp.
#include "store/redis/webhook_store.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"
#include "store/util/ids.hpp"

namespace tern::store {
namespace {

using nlohmann::json;

// Joins the chain, indexes the message, and makes it due when it is the
// chain's head. KEYS: message, chain, due set, webhook index.
// ARGV: id, member, retention ms, then the message's field/value pairs.
constexpr const char* kEnqueueScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HSET', KEYS[1], 'created_ms', now, 'chain', KEYS[2])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[3]))
local head = redis.call('ZRANGE', KEYS[2], 0, 0)
if head[1] == ARGV[2] then redis.call('ZADD', KEYS[3], now, ARGV[1]) end
return 1
)lua";

// Leases up to ARGV[1] due chain heads for ARGV[2] ms. Messages that are
// gone, finished or not their chain's head leave the due set (a head's
// finish re-adds its successor). KEYS: due set. ARGV: max, lease ms,
// message key prefix.
constexpr const char* kClaimScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(due) do
  local m = redis.call('HMGET', ARGV[3] .. id, 'member', 'chain', 'status')
  if not m[1] or m[3] == 'success' or m[3] == 'failed' then
    redis.call('ZREM', KEYS[1], id)
  else
    local head = redis.call('ZRANGE', m[2], 0, 0)
    if head[1] ~= m[1] then
      redis.call('ZREM', KEYS[1], id)
    else
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), id)
      out[#out + 1] = id
    end
  end
end
return out
)lua";

// Records an attempt and applies the outcome. KEYS: message, attempts, due
// set, chain. ARGV: id, member, final status or 'retry', retry delay ms,
// attempt JSON or '', retention seconds, message key prefix.
constexpr const char* kFinishScript = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'success' or status == 'failed' then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[5] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[5]) end
if ARGV[3] == 'retry' then
  local next_ms = now + tonumber(ARGV[4])
  redis.call('HSET', KEYS[1], 'status', 'attempting', 'next_ms', next_ms)
  redis.call('ZADD', KEYS[3], next_ms, ARGV[1])
  return 1
end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'next_ms', '')
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
local head = redis.call('ZRANGE', KEYS[4], 0, 0)
if head[1] then
  local next_id = string.match(head[1], '|(.*)$')
  if next_id then redis.call('ZADD', KEYS[3], 'NX', now, next_id) end
end
return 1
)lua";

// Failure tracking. KEYS: webhook. ARGV: 1 success / 0 failure, disable
// after ms. Returns 1 when this call disabled the webhook.
constexpr const char* kEndpointResultScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '1' then
  redis.call('HSET', KEYS[1], 'consecutive_failures', 0, 'first_failure_ms', '')
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HINCRBY', KEYS[1], 'consecutive_failures', 1)
local first = tonumber(redis.call('HGET', KEYS[1], 'first_failure_ms'))
if not first then
  first = now
  redis.call('HSET', KEYS[1], 'first_failure_ms', now)
end
if redis.call('HGET', KEYS[1], 'status') == 'enabled' and now - first >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'status', 'disabled')
  return 1
end
return 0
)lua";

std::string events_to_text(const std::optional<std::vector<std::string>>& events) {
  return events ? json(*events).dump() : "null";
}

std::optional<std::vector<std::string>> events_from_text(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& e : j)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::optional<TimePoint> optional_ms(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return from_unix_ms(std::stoll(text));
}

Webhook webhook_from_hash(const RedisValue& fields) {
  Webhook w;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& f = fields.elements[i].str;
    const std::string& v = fields.elements[i + 1].str;
    if (f == "id") w.id = v;
    else if (f == "team") w.team = v;
    else if (f == "endpoint") w.endpoint = v;
    else if (f == "events") w.events = events_from_text(v);
    else if (f == "status") w.status = parse_webhook_status(v).value_or(WebhookStatus::disabled);
    else if (f == "secret") w.signing_secret = v;
    else if (f == "created_ms") w.created_at = from_unix_ms(std::stoll(v));
    else if (f == "first_failure_ms") w.first_failure_at = optional_ms(v);
    else if (f == "consecutive_failures") w.consecutive_failures = std::stoi(v);
  }
  return w;
}

std::string attempt_to_json(const DeliveryAttempt& a) {
  json j{{"http_status_code", a.http_status_code ? json(*a.http_status_code) : json(nullptr)},
         {"response", a.response},
         {"sent_ms", to_unix_ms(a.sent_at)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

DeliveryAttempt attempt_from_json(const std::string& text) {
  DeliveryAttempt a;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return a;
  if (j.contains("http_status_code") && j["http_status_code"].is_number_integer())
    a.http_status_code = j["http_status_code"].get<int>();
  a.response = j.value("response", "");
  a.sent_at = from_unix_ms(j.value("sent_ms", int64_t{0}));
  return a;
}

WebhookMessage message_from_hash(const RedisValue& fields) {
  WebhookMessage m;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& f = fields.elements[i].str;
    const std::string& v = fields.elements[i + 1].str;
    if (f == "id") m.id = v;
    else if (f == "webhook_id") m.webhook_id = v;
    else if (f == "team") m.team = v;
    else if (f == "type") m.type = v;
    else if (f == "subject_id") m.subject_id = v;
    else if (f == "order_key") m.order_key = v;
    else if (f == "payload") m.payload = v;
    else if (f == "status") m.status = parse_delivery_status(v).value_or(DeliveryStatus::pending);
    else if (f == "created_ms") m.created_at = from_unix_ms(std::stoll(v));
    else if (f == "next_ms") m.next_attempt_at = optional_ms(v);
  }
  return m;
}

// chain_member - sorts by order key; the id after '|' lets a finish script
// find the next message.
std::string chain_member(const WebhookMessage& m) { return m.order_key + "|" + m.id; }

Result<void> exec_transaction(RedisPool& pool, std::vector<std::vector<std::string>> cmds) {
  cmds.insert(cmds.begin(), {"MULTI"});
  cmds.push_back({"EXEC"});
  auto lease = pool.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline(cmds);
  if (!replies) return tl::unexpected(replies.error());
  const auto& exec = replies->back();
  if (exec.type != RedisValue::Type::array) return fail(Errc::unavailable, "redis: webhook transaction aborted");
  for (const auto& r : exec.elements)
    if (r.is_error()) return fail(Errc::unavailable, "redis: " + r.str);
  return {};
}

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

}  // namespace

const char* to_string(WebhookStatus status) { return status == WebhookStatus::enabled ? "enabled" : "disabled"; }

std::optional<WebhookStatus> parse_webhook_status(std::string_view text) {
  if (text == "enabled") return WebhookStatus::enabled;
  if (text == "disabled") return WebhookStatus::disabled;
  return std::nullopt;
}

const char* to_string(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending: return "pending";
    case DeliveryStatus::attempting: return "attempting";
    case DeliveryStatus::success: return "success";
    case DeliveryStatus::failed: return "failed";
  }
  return "pending";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view text) {
  for (auto s : {DeliveryStatus::pending, DeliveryStatus::attempting, DeliveryStatus::success, DeliveryStatus::failed})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

bool Webhook::subscribes(std::string_view type) const {
  if (!events) return true;
  return std::find(events->begin(), events->end(), type) != events->end();
}

const std::vector<std::string_view>& webhook_event_types() {
  static const std::vector<std::string_view> types = {
      "email.sent",       "email.scheduled", "email.delivered", "email.delivery_delayed", "email.complained",
      "email.bounced",    "email.opened",    "email.clicked",   "email.received",         "email.failed",
      "email.suppressed", "domain.created",  "domain.updated",  "domain.deleted",         "suppression.added",
      "suppression.removed"};
  return types;
}

bool is_webhook_event_type(std::string_view type) {
  const auto& types = webhook_event_types();
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::string new_signing_secret() { return "whsec_" + base64_encode(random_bytes(24)); }

std::string derive_message_id(std::string_view stream_id, std::string_view webhook_id) {
  std::string digest = sha256(std::string(stream_id) + "|" + std::string(webhook_id));
  std::string out = "msg_";
  // 27 base62 digits of the first 20 bytes, like Svix's KSUID-shaped ids.
  for (int i = 0; i < 27; ++i) {
    unsigned carry = 0;
    for (int b = 0; b < 20; ++b) {
      unsigned value = (carry << 8) | static_cast<unsigned char>(digest[b]);
      digest[b] = static_cast<char>(value / 62);
      carry = value % 62;
    }
    out += kBase62[carry];
  }
  return out;
}

std::string stream_order_key(std::string_view stream_id) {
  auto dash = stream_id.find('-');
  std::string ms(stream_id.substr(0, dash));
  std::string seq = dash == std::string_view::npos ? "0" : std::string(stream_id.substr(dash + 1));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%016llu-%010llu", std::stoull(ms), std::stoull(seq));
  return buf;
}

Result<Webhook> WebhookStore::create(std::string team, std::string endpoint,
                                     std::optional<std::vector<std::string>> events, TimePoint now) {
  Webhook w;
  w.id = new_uuid();
  w.team = std::move(team);
  w.endpoint = std::move(endpoint);
  w.events = std::move(events);
  w.signing_secret = new_signing_secret();
  w.created_at = from_unix_ms(to_unix_ms(now));
  const std::string created = std::to_string(to_unix_ms(w.created_at));
  auto done = exec_transaction(
      pool_, {{"HSET", keys::webhook(w.id), "id", w.id, "team", w.team, "endpoint", w.endpoint, "events",
               events_to_text(w.events), "status", to_string(w.status), "secret", w.signing_secret, "created_ms",
               created, "first_failure_ms", "", "consecutive_failures", "0"},
              {"ZADD", keys::team_webhooks(w.team), created, w.id}});
  if (!done) return tl::unexpected(done.error());
  return w;
}

Result<std::optional<Webhook>> WebhookStore::get_any(std::string_view id) {
  auto reply = expect_ok(run(pool_, {"HGETALL", keys::webhook(id)}), "get webhook");
  if (!reply) return tl::unexpected(reply.error());
  if (reply->elements.empty()) return std::optional<Webhook>{};
  return std::optional<Webhook>(webhook_from_hash(*reply));
}

Result<std::optional<Webhook>> WebhookStore::get(std::string_view team, std::string_view id) {
  auto found = get_any(id);
  if (!found || !*found) return found;
  if ((*found)->team != team) return std::optional<Webhook>{};
  return found;
}

Result<std::vector<Webhook>> WebhookStore::list(std::string_view team) {
  auto ids = expect_ok(run(pool_, {"ZREVRANGE", keys::team_webhooks(team), "0", "-1"}), "list webhooks");
  if (!ids) return tl::unexpected(ids.error());
  std::vector<Webhook> out;
  for (const auto& id : ids->elements) {
    auto found = get(team, id.str);
    if (!found) return tl::unexpected(found.error());
    if (*found) out.push_back(std::move(**found));
  }
  return out;
}

Result<bool> WebhookStore::update(std::string_view team, std::string_view id, const WebhookPatch& patch) {
  auto found = get(team, id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return false;
  std::vector<std::string> hset = {"HSET", keys::webhook(id)};
  if (patch.endpoint) hset.insert(hset.end(), {"endpoint", *patch.endpoint});
  if (patch.events) hset.insert(hset.end(), {"events", events_to_text(*patch.events)});
  if (patch.status) {
    hset.insert(hset.end(), {"status", to_string(*patch.status)});
    if (*patch.status == WebhookStatus::enabled)
      hset.insert(hset.end(), {"consecutive_failures", "0", "first_failure_ms", ""});
  }
  if (hset.size() == 2) return true;
  auto reply = expect_ok(run(pool_, hset), "update webhook");
  if (!reply) return tl::unexpected(reply.error());
  return true;
}

Result<bool> WebhookStore::remove(std::string_view team, std::string_view id) {
  auto found = get(team, id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return false;
  auto done = exec_transaction(pool_, {{"DEL", keys::webhook(id)}, {"ZREM", keys::team_webhooks(team), std::string(id)}});
  if (!done) return tl::unexpected(done.error());
  return true;
}

Result<std::vector<Webhook>> WebhookStore::subscribers(std::string_view team, std::string_view type) {
  auto all = list(team);
  if (!all) return tl::unexpected(all.error());
  std::vector<Webhook> out;
  for (auto& w : *all)
    if (w.status == WebhookStatus::enabled && w.subscribes(type)) out.push_back(std::move(w));
  return out;
}

Result<bool> WebhookStore::record_endpoint_result(std::string_view webhook_id, bool success,
                                                  std::chrono::milliseconds disable_after) {
  auto reply = expect_ok(run(pool_, {"EVAL", kEndpointResultScript, "1", keys::webhook(webhook_id),
                                     success ? "1" : "0", std::to_string(disable_after.count())}),
                         "record webhook result");
  if (!reply) return tl::unexpected(reply.error());
  return reply->integer == 1;
}

Result<bool> WebhookStore::enqueue(const WebhookMessage& m) {
  std::vector<std::string> cmd = {"EVAL", kEnqueueScript, "4", keys::webhook_message(m.id),
                                  keys::webhook_chain(m.webhook_id, m.subject_id), std::string(keys::kWebhookDueSet),
                                  keys::webhook_messages(m.webhook_id), m.id, chain_member(m),
                                  std::to_string(retention_.count())};
  const std::vector<std::pair<const char*, std::string>> fields = {
      {"id", m.id},           {"webhook_id", m.webhook_id}, {"team", m.team},
      {"type", m.type},       {"subject_id", m.subject_id}, {"order_key", m.order_key},
      {"member", chain_member(m)}, {"payload", m.payload},  {"status", to_string(DeliveryStatus::pending)},
      {"next_ms", ""}};
  for (const auto& [name, value] : fields) cmd.insert(cmd.end(), {name, value});
  auto reply = expect_ok(run(pool_, cmd), "enqueue webhook message");
  if (!reply) return tl::unexpected(reply.error());
  return reply->integer == 1;
}

Result<std::optional<WebhookMessage>> WebhookStore::message(std::string_view id) {
  auto lease = pool_.acquire();
  if (!lease) return tl::unexpected(lease.error());
  auto replies = (*lease)->pipeline({{"HGETALL", keys::webhook_message(id)},
                                     {"LRANGE", keys::webhook_attempts(id), "0", "-1"}});
  if (!replies) return tl::unexpected(replies.error());
  const auto& fields = (*replies)[0];
  if (fields.is_error()) return fail(Errc::unavailable, "redis: " + fields.str);
  if (fields.elements.empty()) return std::optional<WebhookMessage>{};
  WebhookMessage m = message_from_hash(fields);
  for (const auto& a : (*replies)[1].elements) m.attempts.push_back(attempt_from_json(a.str));
  return std::optional<WebhookMessage>(std::move(m));
}

Result<std::vector<std::string>> WebhookStore::messages(std::string_view webhook_id, int max) {
  auto reply = expect_ok(run(pool_, {"ZREVRANGE", keys::webhook_messages(webhook_id), "0", std::to_string(max - 1)}),
                         "list webhook messages");
  if (!reply) return tl::unexpected(reply.error());
  std::vector<std::string> out;
  for (const auto& e : reply->elements) out.push_back(e.str);
  return out;
}

Result<std::vector<std::string>> WebhookStore::claim_due(int max, std::chrono::milliseconds lease) {
  auto reply = expect_ok(run(pool_, {"EVAL", kClaimScript, "1", std::string(keys::kWebhookDueSet),
                                     std::to_string(max), std::to_string(lease.count()), keys::webhook_message("")}),
                         "claim webhook messages");
  if (!reply) return tl::unexpected(reply.error());
  std::vector<std::string> out;
  for (const auto& e : reply->elements) out.push_back(e.str);
  return out;
}

Result<bool> WebhookStore::finish(const WebhookMessage& m, const Finish& outcome) {
  std::string status = outcome.kind == Finish::Kind::retry     ? "retry"
                       : outcome.kind == Finish::Kind::success ? to_string(DeliveryStatus::success)
                                                               : to_string(DeliveryStatus::failed);
  auto retention_s = std::chrono::duration_cast<std::chrono::seconds>(retention_).count();
  auto reply = expect_ok(
      run(pool_, {"EVAL", kFinishScript, "4", keys::webhook_message(m.id), keys::webhook_attempts(m.id),
                  std::string(keys::kWebhookDueSet), keys::webhook_chain(m.webhook_id, m.subject_id), m.id,
                  chain_member(m), status, std::to_string(outcome.retry_after.count()),
                  outcome.attempt ? attempt_to_json(*outcome.attempt) : "", std::to_string(std::max<long long>(1, retention_s)),
                  keys::webhook_message("")}),
      "finish webhook message");
  if (!reply) return tl::unexpected(reply.error());
  return reply->integer == 1;
}

}  // namespace tern::store
