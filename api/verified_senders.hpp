// verified_senders.hpp - the production SenderPolicy: a team may send from
// a domain only when it has that exact domain (lower-cased, no subdomain
// inheritance, as Resend) with status "verified". Dev mode keeps
// AllowAllSenders instead.
//
// may_send_from errors: Errc::not_found when the team has no such verified
// domain (the API answers 403 validation_error), Errc::unavailable when
// Redis cannot be asked (500).
#pragma once

#include "api/services.hpp"
#include "store/redis/redis_connection.hpp"

namespace tern::api {

class VerifiedSenders final : public SenderPolicy {
 public:
  explicit VerifiedSenders(store::RedisPool& pool) : pool_(pool) {}
  Result<void> may_send_from(std::string_view team, std::string_view domain) override;

 private:
  store::RedisPool& pool_;
};

}  // namespace tern::api
