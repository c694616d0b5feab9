// webhook_dispatcher.cpp - see webhook_dispatcher.hpp.
#include "worker/webhook_dispatcher.hpp"

#include <algorithm>

#include "store/redis/email_store.hpp"
#include "store/redis/keys.hpp"
#include "store/redis/webhook_url.hpp"
#include "store/util/log.hpp"
#include "worker/ssrf_guard.hpp"
#include "worker/webhook_payload.hpp"
#include "worker/webhook_signature.hpp"

namespace tern::worker {
namespace {

constexpr int kFanoutBatch = 32;

// stream_time - the millisecond part of a stream entry id: when it was added.
TimePoint stream_time(const std::string& stream_id) {
  try {
    return from_unix_ms(std::stoll(stream_id.substr(0, stream_id.find('-'))));
  } catch (const std::exception&) {
    return TimePoint{};
  }
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(store::RedisPool& pool, dns::Resolver& resolver, const Clock& clock,
                                     WebhookConfig config, std::string consumer_name)
    : pool_(pool),
      resolver_(resolver),
      clock_(clock),
      config_(std::move(config)),
      name_(std::move(consumer_name)),
      webhooks_(pool) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  stopping_.store(false);
  threads_.emplace_back([this] { fanout_loop(); });
  for (int i = 0; i < config_.senders; ++i) threads_.emplace_back([this] { sender_loop(); });
  log::info("webhook dispatcher started", {{"consumer", name_}, {"senders", std::to_string(config_.senders)}});
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

// idle - wait for d, or until stop() or new work (wake()).
void WebhookDispatcher::idle(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  const uint64_t seen = wake_generation_;
  wake_.wait_for(lock, d, [&] { return stopping_.load() || wake_generation_ != seen; });
}

void WebhookDispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

// --- fan-out ---------------------------------------------------------------

void WebhookDispatcher::fanout_loop() {
  store::EventStreamReader reader(pool_, std::string(store::keys::kWebhookGroup), name_);
  if (auto r = reader.ensure_group(); !r) log::warn("cannot create webhook consumer group yet", {{"error", r.error().message}});
  // Our own unfinished entries exist only at start-up and after a batch was
  // cut short; a silent consumer's are looked for a few times per
  // claim_timeout. Otherwise only new entries are read: one command a batch.
  bool own_pending_possible = true;
  const auto reclaim_interval = std::clamp<std::chrono::milliseconds>(
      config_.claim_timeout / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(5000));
  auto next_reclaim = std::chrono::steady_clock::now();
  while (!stopping_.load()) {
    // Own unfinished entries first, then those of a silent consumer, then
    // new ones: each in stream order.
    Result<std::vector<store::StreamEvent>> batch = std::vector<store::StreamEvent>{};
    if (own_pending_possible) {
      batch = reader.own_pending(kFanoutBatch);
      if (batch && batch->empty()) own_pending_possible = false;
    }
    if (batch && batch->empty() && std::chrono::steady_clock::now() >= next_reclaim) {
      batch = reader.reclaim(kFanoutBatch, config_.claim_timeout);
      if (batch && batch->empty()) next_reclaim = std::chrono::steady_clock::now() + reclaim_interval;
    }
    if (batch && batch->empty()) batch = reader.read_new(kFanoutBatch, config_.read_block);
    if (!batch) {
      log::warn("event stream unavailable", {{"error", batch.error().message}});
      own_pending_possible = true;  // a read whose reply was lost still delivered its entries to us
      idle(config_.backoff_on_error);
      continue;
    }
    if (!fan_out_batch(reader, *batch)) {
      own_pending_possible = true;  // the rest of this batch stays pending for us
      idle(config_.backoff_on_error);
    } else if (!batch->empty()) {
      wake();  // senders sleeping on an empty due set have work now
    }
  }
}

// fan_out_batch - stops at the first failure so later events of the same
// email are not enqueued ahead of an earlier one; false on failure.
bool WebhookDispatcher::fan_out_batch(store::EventStreamReader& reader, const std::vector<store::StreamEvent>& batch) {
  for (const auto& event : batch) {
    if (auto done = fan_out(event); !done) {
      log::warn("webhook fan-out failed; will retry",
                {{"stream_id", event.stream_id}, {"type", event.type}, {"error", done.error().message}});
      return false;
    }
    if (auto acked = reader.done(event.stream_id); !acked) {
      log::warn("cannot acknowledge event", {{"stream_id", event.stream_id}, {"error", acked.error().message}});
      return false;
    }
  }
  return true;
}

Result<void> WebhookDispatcher::fan_out(const store::StreamEvent& event) {
  if (event.type.empty() || event.team.empty()) return {};  // deleted or malformed entry: nothing to do
  auto targets = webhooks_.subscribers(event.team, event.type);
  if (!targets) return tl::unexpected(targets.error());
  if (targets->empty()) return {};
  auto payload = payload_for(event);
  if (!payload) return tl::unexpected(payload.error());
  if (!*payload) return {};
  for (const auto& webhook : *targets) {
    store::WebhookMessage m;
    m.id = store::derive_message_id(event.stream_id, webhook.id);
    m.webhook_id = webhook.id;
    m.team = event.team;
    m.type = event.type;
    m.subject_id = event.subject_id;
    m.order_key = store::stream_order_key(event.stream_id);
    m.payload = **payload;
    auto queued = webhooks_.enqueue(m);
    if (!queued) return tl::unexpected(queued.error());
  }
  return {};
}

// payload_for - the body for this event; nullopt when there is nothing to
// tell (the email is gone, the entry is unreadable: logged, not retried).
Result<std::optional<std::string>> WebhookDispatcher::payload_for(const store::StreamEvent& event) {
  if (event.type.rfind("email.", 0) == 0) {
    auto parsed = store::event_from_json(event.event);
    if (!parsed) {
      log::error("unreadable email event skipped", {{"stream_id", event.stream_id}, {"error", parsed.error().message}});
      return std::optional<std::string>{};
    }
    auto stored = store::EmailStore(pool_).get_any(event.subject_id);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) return std::optional<std::string>{};
    return std::optional<std::string>(email_payload((*stored)->content, *parsed));
  }
  auto body = domain_payload(event.type, event.event, stream_time(event.stream_id));
  if (!body) {
    log::error("unreadable event skipped", {{"stream_id", event.stream_id}, {"error", body.error().message}});
    return std::optional<std::string>{};
  }
  return std::optional<std::string>(std::move(*body));
}

// --- sending -----------------------------------------------------------------

void WebhookDispatcher::sender_loop() {
  // The lease outlasts one attempt (DNS plus the request) by a wide margin,
  // so only a dead sender's message is ever claimed again.
  const auto lease = config_.sender.timeout * 2 + std::chrono::seconds(30);
  while (!stopping_.load()) {
    auto due = webhooks_.claim_due(1, lease);
    if (!due) {
      log::warn("webhook queue unavailable", {{"error", due.error().message}});
      idle(config_.backoff_on_error);
      continue;
    }
    if (due->empty()) {
      idle(config_.poll_interval);
      continue;
    }
    for (const auto& id : *due) deliver(id);
  }
}

void WebhookDispatcher::deliver(const std::string& message_id) {
  auto found = webhooks_.message(message_id);
  if (!found || !*found) return;  // unreadable now: the lease expires and it is claimed again
  const store::WebhookMessage& m = **found;
  auto webhook = webhooks_.get_any(m.webhook_id);
  if (!webhook) return;
  store::Finish outcome;
  bool success = false;
  if (!*webhook || (*webhook)->status != store::WebhookStatus::enabled) {
    outcome.kind = store::Finish::Kind::give_up;  // deleted or disabled: nothing is sent
  } else {
    outcome = attempt(m, **webhook, success);
  }
  if (auto r = webhooks_.finish(m, outcome); !r)
    log::warn("cannot record webhook attempt", {{"msg_id", m.id}, {"error", r.error().message}});
  if (outcome.attempt && config_.metrics) {
    const char* kind = outcome.kind == store::Finish::Kind::success ? "success"
                       : outcome.kind == store::Finish::Kind::retry ? "retry"
                                                                    : "give_up";
    config_.metrics->webhook_attempts.with({kind}).inc();
  }
  if (outcome.attempt) {
    auto disabled = webhooks_.record_endpoint_result(m.webhook_id, success, config_.disable_after);
    if (disabled && *disabled) log::warn("webhook disabled after failing continuously", {{"webhook_id", m.webhook_id}});
  }
}

// attempt - one request (or the reason none could be made) and what follows.
store::Finish WebhookDispatcher::attempt(const store::WebhookMessage& m, const store::Webhook& webhook, bool& success) {
  store::DeliveryAttempt record;
  record.sent_at = clock_.now();
  auto url = store::parse_webhook_url(webhook.endpoint);
  Result<std::string> address =
      url ? pin_address(resolver_, *url, config_.allow_private) : Result<std::string>(tl::unexpected(url.error()));
  auto headers = signed_headers(webhook.signing_secret, m.id,
                                std::chrono::duration_cast<std::chrono::seconds>(record.sent_at.time_since_epoch()).count(),
                                m.payload);
  if (!address) {
    record.response = address.error().message;
  } else if (!headers) {
    record.response = headers.error().message;
  } else {
    SendResult sent = post_webhook(*url, *address, *headers, m.payload, config_.sender);
    record.http_status_code = sent.http_status;
    record.response = std::move(sent.response);
    success = sent.success();
  }
  const size_t failures = m.attempts.size() + 1;
  log::write(success ? log::Level::debug : log::Level::info, "webhook attempt",
             {{"msg_id", m.id}, {"webhook_id", m.webhook_id}, {"type", m.type},
              {"status", record.http_status_code ? std::to_string(*record.http_status_code) : "none"},
              {"attempt", std::to_string(failures)}});
  store::Finish outcome;
  outcome.attempt = std::move(record);
  if (success) outcome.kind = store::Finish::Kind::success;
  else if (failures <= config_.retry_steps.size()) {
    outcome.kind = store::Finish::Kind::retry;
    outcome.retry_after = config_.retry_steps[failures - 1];
  } else {
    outcome.kind = store::Finish::Kind::give_up;
  }
  return outcome;
}

}  // namespace tern::worker
