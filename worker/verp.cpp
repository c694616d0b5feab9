// verp.cpp - building and reading bounces+<id>@host.
#include "worker/verp.hpp"

#include <algorithm>
#include <cctype>

#include "store/util/ids.hpp"

namespace tern::worker {

std::string verp_address(std::string_view email_id, std::string_view return_path_host) {
  return std::string(kVerpPrefix) + std::string(email_id) + "@" + std::string(return_path_host);
}

std::optional<std::string> parse_verp(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 >= address.size()) return std::nullopt;
  std::string local(address.substr(0, at));
  std::transform(local.begin(), local.end(), local.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (local.size() <= kVerpPrefix.size() || local.compare(0, kVerpPrefix.size(), kVerpPrefix) != 0)
    return std::nullopt;
  std::string id = local.substr(kVerpPrefix.size());
  if (!is_uuid(id)) return std::nullopt;
  return id;
}

}  // namespace tern::worker
