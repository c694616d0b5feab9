// connection_cache.hpp - SMTP connections kept open between deliveries, so
// that consecutive messages to one destination skip the connect, greeting,
// EHLO, STARTTLS and QUIT (Postfix's connection cache, per thread).
//
// send() takes an idle connection to the same endpoint (address, port, MX
// name, EHLO name, TLS mode and CA file must all match) when there is one,
// else opens a new one; after the transaction the connection goes back to
// the cache unless it was dropped or reached its limits. A transaction cut
// off before anything was accepted on a reused connection (the server timed
// the idle connection out, or says 421 at MAIL) is retried once on a fresh
// connection, transparently: nothing reached the server's queue.
//
// A cache belongs to one thread (its io_context runs on the caller) and is
// not thread-safe; send_reusing() uses the calling thread's own cache.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "mailer/smtp/client.hpp"

namespace tern::smtp {

struct ReuseLimits {
  std::chrono::milliseconds idle{std::chrono::seconds(5)};        // close after this long unused
  std::chrono::milliseconds lifetime{std::chrono::seconds(300)};  // never reuse an older connection
  int max_transactions = 1000;                                    // per connection
  std::size_t max_idle = 32;                                      // idle connections kept, oldest closed first
};

class Connection;

class ConnectionCache {
 public:
  explicit ConnectionCache(ReuseLimits limits = {});
  ~ConnectionCache();  // says QUIT on every idle connection
  ConnectionCache(const ConnectionCache&) = delete;
  ConnectionCache& operator=(const ConnectionCache&) = delete;

  // send - the same contract as send_transaction, on a cached connection
  // when one fits. Never throws.
  TransactionResult send(const Endpoint& endpoint, const TransactionRequest& request);
  // close_idle - QUIT and close the connections idle longer than limits.idle.
  void close_idle();
  std::size_t idle_count() const { return idle_.size(); }

 private:
  struct Entry;
  struct Impl;
  void keep(const std::string& key, std::unique_ptr<Entry> entry, const TransactionResult& result);
  void quit(Entry& entry);

  ReuseLimits limits_;
  std::unique_ptr<Impl> impl_;
  std::multimap<std::string, std::unique_ptr<Entry>> idle_;
};

// send_reusing - ConnectionCache::send on the calling thread's own cache
// (created on first use, its connections closed when the thread ends).
TransactionResult send_reusing(const Endpoint& endpoint, const TransactionRequest& request);
// close_idle_connections - close_idle() on the calling thread's cache.
void close_idle_connections();

}  // namespace tern::smtp
