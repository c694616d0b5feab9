#include "store/util/result.hpp"

namespace tern {

const char* to_string(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::not_found: return "not_found";
    case Errc::conflict: return "conflict";
    case Errc::unavailable: return "unavailable";
    case Errc::protocol: return "protocol";
    case Errc::internal: return "internal";
  }
  return "internal";
}

}  // namespace tern
