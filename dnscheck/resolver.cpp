// resolver.cpp - names for the lookup outcome classes of resolver.hpp.
// Kept apart from cares_resolver.cpp so test fakes of Resolver link without
// c-ares.
#include "dnscheck/resolver.hpp"

namespace tern::dns {

const char* to_string(LookupStatus status) {
  switch (status) {
    case LookupStatus::ok: return "ok";
    case LookupStatus::nxdomain: return "nxdomain";
    case LookupStatus::nodata: return "nodata";
    case LookupStatus::temporary: return "temporary";
    case LookupStatus::error: return "error";
  }
  return "unknown";
}

}  // namespace tern::dns
