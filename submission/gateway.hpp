// gateway.hpp - what an SMTP submission session asks of the rest of Tern:
// who a password (an API key) belongs to, whether that key may send from a
// domain, and taking a finished message into the queue. The answers are
// SMTP replies, so the session never interprets store or API errors.
//
// StoreGateway (the production one) promises:
//   - authenticate: a key with sending rights (full_access or
//     sending_access) -> its Submitter; no such key -> nullopt; Redis down
//     -> an Error (the session answers 454 4.7.0). The token is never logged.
//   - check_sender: "" when allowed; the key's domain restriction and the
//     team's verified domains (the same rules as POST /emails) -> 550 5.7.1;
//     Redis down -> 451 4.3.0.
//   - accept: the message is inspected (mailer/raw_message.hpp: 550 5.6.0
//     with the reason), its From domain checked as above, then stored with
//     its queue entry in one MULTI/EXEC exactly as POST /emails does; only
//     then "250 2.0.0 Ok: queued as <id>". A store failure is 451 4.3.0 and
//     nothing is queued. Recipients are the envelope's (RCPT TO), recorded
//     as `to`. The client's Message-ID is kept; one is made when missing.
// Thread-safe: called from every session thread at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/services.hpp"
#include "store/redis/redis_connection.hpp"
#include "store/util/clock.hpp"
#include "store/util/result.hpp"

namespace tern::submission {

struct Submitter {
  std::string team;
  std::string key_id;
  bool full_access = false;
  std::string domain_id;  // a sending_access key limited to one domain, or empty
};

class Gateway {
 public:
  virtual ~Gateway() = default;
  virtual Result<std::optional<Submitter>> authenticate(std::string_view password) = 0;
  virtual std::string check_sender(const Submitter& who, std::string_view domain) = 0;
  virtual std::string accept(const Submitter& who, const std::vector<std::string>& recipients,
                             std::string message) = 0;
};

class StoreGateway final : public Gateway {
 public:
  // hostname: the Message-ID domain when the client sent none. metrics:
  // the process's counters (tern_emails_accepted_total counts SMTP
  // submissions as POST /emails counts its own); may be null.
  StoreGateway(store::RedisPool& pool, const Clock& clock, api::SenderPolicy& senders, std::string hostname,
               metrics::ServiceMetrics* metrics = nullptr);

  Result<std::optional<Submitter>> authenticate(std::string_view password) override;
  std::string check_sender(const Submitter& who, std::string_view domain) override;
  std::string accept(const Submitter& who, const std::vector<std::string>& recipients, std::string message) override;

 private:
  store::RedisPool& pool_;
  const Clock& clock_;
  api::SenderPolicy& senders_;
  api::ApiOptions options_;
  metrics::ServiceMetrics* metrics_;
};

}  // namespace tern::submission
