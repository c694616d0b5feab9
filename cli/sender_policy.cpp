#include "cli/sender_policy.hpp"

namespace tern::cli {

Result<void> VerifiedDomainsOnly::may_send_from(std::string_view, std::string_view domain) {
  return fail(Errc::invalid_argument, "The `" + std::string(domain) +
                                          "` domain is not verified. Add and verify it with POST /domains "
                                          "(or run with TERN_DEV=true for local testing).");
}

}  // namespace tern::cli
