// pagination.cpp - the query half of list pagination.
#include "api/pagination.hpp"

#include <cctype>

namespace tern::api {
namespace {

ApiError bad_pagination() {
  return validation_error(
      "The pagination limit must be a number between 1 and 100. See https://resend.com/docs/pagination for "
      "more information.");
}

}  // namespace

ApiResult<PageRequest> parse_page_request(const std::map<std::string, std::string>& query) {
  PageRequest request;
  if (auto it = query.find("limit"); it != query.end()) {
    const std::string& text = it->second;
    if (text.empty() || text.size() > 3) return reject(bad_pagination());
    for (char c : text)
      if (!std::isdigit(static_cast<unsigned char>(c))) return reject(bad_pagination());
    const std::size_t limit = std::stoul(text);
    if (limit < 1 || limit > 100) return reject(bad_pagination());
    request.limit = limit;
  }
  if (auto it = query.find("after"); it != query.end()) request.after = it->second;
  if (auto it = query.find("before"); it != query.end()) request.before = it->second;
  if (!request.after.empty() && !request.before.empty())
    return reject(validation_error("You can only use either `after` or `before`, not both."));
  return request;
}

}  // namespace tern::api
