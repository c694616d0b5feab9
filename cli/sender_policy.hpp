// sender_policy.hpp - which from-domains a team may send from.
//
// Dev mode (TERN_DEV) allows every domain, for local demos. Otherwise a
// domain must be verified by the team; domain verification is not built
// yet, so outside dev mode every domain is refused with a clear reason.
#pragma once

#include "api/services.hpp"

namespace tern::cli {

class VerifiedDomainsOnly final : public api::SenderPolicy {
 public:
  Result<void> may_send_from(std::string_view team, std::string_view domain) override;
};

}  // namespace tern::cli
