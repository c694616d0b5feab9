#include "mailer/smtp/connection_cache.hpp"

#include <boost/asio/io_context.hpp>

#include "mailer/smtp/connection.hpp"

namespace tern::smtp {
namespace {

using Clock = std::chrono::steady_clock;

std::string cache_key(const Endpoint& endpoint, const TransactionRequest& request) {
  return endpoint.address + "|" + std::to_string(endpoint.port) + "|" + endpoint.host_name + "|" + request.helo_name +
         "|" + std::to_string(int(request.tls)) + "|" + request.ca_file;
}

// cut_off_before_mail - a reused connection that died before the server
// answered MAIL: nothing was accepted, so a fresh connection may try again.
bool cut_off_before_mail(const TransactionResult& result) {
  const bool refused_421 = result.session_reply && result.session_reply->code == 421;
  return result.stage == Stage::mail_from && result.recipients.empty() && (result.network_error || refused_421);
}

asio::awaitable<void> on_reused(Connection& connection, bool needs_reset, const TransactionRequest& request,
                                TransactionResult& result, Flow& flow) {
  result.stage = Stage::mail_from;
  if (needs_reset) {
    // Not `needs_reset && !co_await ...`: GCC 12 miscompiles co_await on the
    // right of && (SIGILL).
    const bool was_reset = co_await connection.reset(request.timeouts.mail);
    if (!was_reset) {
      result.network_error = "connection lost before RSET was answered";
      flow = Flow::drop;
      co_return;
    }
  }
  flow = co_await connection.transact(request, result);
}

asio::awaitable<void> on_fresh(Connection& connection, const Endpoint& endpoint, const TransactionRequest& request,
                               TransactionResult& result, Flow& flow) {
  flow = co_await connection.open(endpoint, request, result);
  if (flow == Flow::proceed) {
    flow = co_await connection.transact(request, result);
  } else if (flow == Flow::quit) {
    co_await connection.quit(request, result);  // refused before any transaction: not worth keeping
    flow = Flow::drop;
  }
}

asio::awaitable<void> on_quit(Connection& connection, const TransactionRequest& request) {
  TransactionResult ignored;
  co_await connection.quit(request, ignored);
}

}  // namespace

struct ConnectionCache::Entry {
  std::unique_ptr<Connection> connection;
  TransactionRequest quit_request;  // only its timeouts are used
  Clock::time_point opened;
  Clock::time_point last_used;
  int transactions = 0;
  bool needs_reset = false;  // the last transaction ended before the final dot
};

struct ConnectionCache::Impl {
  asio::io_context io;
};

ConnectionCache::ConnectionCache(ReuseLimits limits) : limits_(limits), impl_(std::make_unique<Impl>()) {}

ConnectionCache::~ConnectionCache() {
  for (auto& [key, entry] : idle_) quit(*entry);
}

void ConnectionCache::quit(Entry& entry) {
  TransactionResult ignored;
  run_to_completion(impl_->io, on_quit(*entry.connection, entry.quit_request), ignored);
}

TransactionResult ConnectionCache::send(const Endpoint& endpoint, const TransactionRequest& request) {
  close_idle();
  const std::string key = cache_key(endpoint, request);
  auto cached = idle_.find(key);
  if (cached != idle_.end()) {
    std::unique_ptr<Entry> entry = std::move(cached->second);
    idle_.erase(cached);
    TransactionResult result;
    Flow flow = Flow::drop;
    run_to_completion(impl_->io, on_reused(*entry->connection, entry->needs_reset, request, result, flow), result);
    if (!cut_off_before_mail(result)) {
      if (flow != Flow::drop && entry->connection->is_open()) keep(key, std::move(entry), result);
      return result;
    }
  }
  auto entry = std::make_unique<Entry>();
  entry->connection = std::make_unique<Connection>(impl_->io.get_executor());
  entry->opened = Clock::now();
  TransactionResult result;
  Flow flow = Flow::drop;
  run_to_completion(impl_->io, on_fresh(*entry->connection, endpoint, request, result, flow), result);
  if (flow != Flow::drop && entry->connection->is_open()) {
    entry->quit_request.timeouts = request.timeouts;
    keep(key, std::move(entry), result);
  }
  return result;
}

void ConnectionCache::keep(const std::string& key, std::unique_ptr<Entry> entry, const TransactionResult& result) {
  const Clock::time_point now = Clock::now();
  entry->needs_reset = !result.data_end_reply;
  entry->transactions += 1;
  entry->last_used = now;
  if (entry->transactions >= limits_.max_transactions || now - entry->opened >= limits_.lifetime) {
    quit(*entry);
    return;
  }
  if (idle_.size() >= limits_.max_idle) {
    auto oldest = idle_.begin();
    for (auto it = idle_.begin(); it != idle_.end(); ++it)
      if (it->second->last_used < oldest->second->last_used) oldest = it;
    quit(*oldest->second);
    idle_.erase(oldest);
  }
  idle_.emplace(key, std::move(entry));
}

void ConnectionCache::close_idle() {
  const Clock::time_point now = Clock::now();
  for (auto it = idle_.begin(); it != idle_.end();) {
    if (now - it->second->last_used < limits_.idle) {
      ++it;
      continue;
    }
    quit(*it->second);
    it = idle_.erase(it);
  }
}

namespace {
ConnectionCache& thread_cache() {
  thread_local ConnectionCache cache;
  return cache;
}
}  // namespace

TransactionResult send_reusing(const Endpoint& endpoint, const TransactionRequest& request) {
  return thread_cache().send(endpoint, request);
}

void close_idle_connections() { thread_cache().close_idle(); }

}  // namespace tern::smtp
