#include "store/util/ids.hpp"

#include "store/util/encoding.hpp"

namespace tern {

std::string new_uuid() {
  std::string b = random_bytes(16);
  b[6] = char((uint8_t(b[6]) & 0x0f) | 0x40);  // version 4
  b[8] = char((uint8_t(b[8]) & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = hex_encode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace tern
