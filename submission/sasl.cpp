// sasl.cpp - AUTH argument, response and PLAIN message decoding.
#include "submission/sasl.hpp"

#include <algorithm>
#include <cctype>

#include "store/util/encoding.hpp"

namespace tern::submission {
bool is_plain_value(std::string_view v) {
  return v.size() <= kMaxSaslValue && v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

AuthArgument parse_auth_argument(std::string_view argument) {
  AuthArgument out;
  auto space = argument.find(' ');
  out.mechanism = std::string(argument.substr(0, space));
  std::transform(out.mechanism.begin(), out.mechanism.end(), out.mechanism.begin(),
                 [](unsigned char c) { return char(std::toupper(c)); });
  if (space != std::string_view::npos) {
    std::string_view rest = argument.substr(space + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (!rest.empty()) out.initial = std::string(rest);
  }
  return out;
}

Result<SaslResponse> decode_response(std::string_view line) {
  if (line == "*") return SaslResponse{true, {}};
  if (line == "=") return SaslResponse{false, {}};
  // Base64 of the largest value we accept (PLAIN carries three of them).
  if (line.size() > 4 * (3 * kMaxSaslValue + 2) / 3 + 4) return fail(Errc::invalid_argument, "response too long");
  auto decoded = base64_decode(line);
  if (!decoded) return fail(Errc::invalid_argument, "response is not base64");
  if (decoded->size() > 3 * kMaxSaslValue + 2) return fail(Errc::invalid_argument, "response too long");
  return SaslResponse{false, std::move(*decoded)};
}

Result<Credentials> decode_plain(std::string_view message) {
  auto first = message.find('\0');
  if (first == std::string_view::npos) return fail(Errc::invalid_argument, "PLAIN message without NUL separators");
  auto second = message.find('\0', first + 1);
  if (second == std::string_view::npos) return fail(Errc::invalid_argument, "PLAIN message without a password");
  std::string_view authzid = message.substr(0, first);
  std::string_view user = message.substr(first + 1, second - first - 1);
  std::string_view password = message.substr(second + 1);
  if (!is_plain_value(authzid) || !is_plain_value(user) || !is_plain_value(password))
    return fail(Errc::invalid_argument, "PLAIN value too long or holds a control character");
  if (!authzid.empty() && authzid != user)
    return fail(Errc::invalid_argument, "authorisation identity differs from the user name");
  return Credentials{std::string(user), std::string(password)};
}

}  // namespace tern::submission
