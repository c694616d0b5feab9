// message_id.cpp - make_message_id (declared in message.hpp).
//
// The id is made once, when the API accepts a message, and reused by every
// retry so receivers can recognise duplicates. Both halves are reduced to
// dot-atom text (letters, digits, "-_+." with no empty dot parts), so
// whatever the caller passes, the result is a valid msg-id of bounded length.
// An id part that cleans to nothing is replaced by 16 random bytes in hex; a
// hostname that does, by "localhost".
#include <cctype>

#include "mailer/message.hpp"
#include "store/util/encoding.hpp"

namespace tern::mailer {
namespace {

constexpr std::size_t kMaxIdPart = 128;
constexpr std::size_t kMaxHostPart = 253;

// dot_atom - keep letters, digits and "-_+", and single dots between them.
std::string dot_atom(std::string_view text, std::size_t max_size) {
  std::string out;
  for (char ch : text) {
    if (out.size() >= max_size) break;
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (!out.empty() && out.back() != '.') out += '.';
    } else if ((c < 0x80 && std::isalnum(c)) || c == '-' || c == '_' || c == '+') {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

std::string make_message_id(std::string_view unique, std::string_view hostname) {
  std::string id = dot_atom(unique, kMaxIdPart);
  if (id.empty()) id = hex_encode(random_bytes(16));
  std::string host = dot_atom(hostname, kMaxHostPart);
  if (host.empty()) host = "localhost";
  return "<" + id + "@" + host + ">";
}

}  // namespace tern::mailer
