// domains_command.hpp - `tern domains add|verify|list`: the DNS walkthrough
// in a terminal, over the same domains::DomainService the API uses.
//
//   tern domains add NAME [--team T] [--ed25519]   create the domain (and its
//       DKIM key) and print the records to publish: type, full name,
//       priority, value, and TXT values as quoted <=255-byte strings for
//       zone files; then the DMARC advice.
//   tern domains verify NAME [--team T]   look every record up now and print
//       ✓ / ✗ / … per record with the reason, then the domain's status.
//   tern domains list [--team T]          id, status and name per domain.
// Exit status: 0 on success (verify: the domain is verified), 1 when the
// domain is not verified or the work failed, 2 for a usage error.
#pragma once

#include <string>
#include <vector>

#include "store/util/config.hpp"

namespace tern::cli {

int domains_command(const Config& config, const std::vector<std::string>& args);

}  // namespace tern::cli
