// pagination.hpp - Resend's list pagination (resend-api.md §1.5), pure.
//
// Query: limit (1-100; absent = everything, as Resend's older list
// endpoints do), after=<id> (older than the cursor) or before=<id> (newer
// than it), never both. Items are newest first; the cursor itself is not
// returned. A bad limit, or both cursors, is 422 validation_error with
// Resend's wording. An unknown cursor gives an empty page.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/errors.hpp"

namespace tern::api {

struct PageRequest {
  std::optional<std::size_t> limit;
  std::string after;
  std::string before;
};

ApiResult<PageRequest> parse_page_request(const std::map<std::string, std::string>& query);

template <class T>
struct Page {
  std::vector<T> items;
  bool has_more = false;
};

// paginate - the page of `items` (newest first) the request asks for.
template <class T, class IdOf>
Page<T> paginate(std::vector<T> items, const PageRequest& request, IdOf id_of) {
  std::size_t begin = 0, end = items.size();
  auto cursor = [&](const std::string& id) {
    return std::find_if(items.begin(), items.end(), [&](const T& item) { return id_of(item) == id; });
  };
  bool more_before_begin = false, more_after_end = false;
  if (!request.after.empty()) {
    auto it = cursor(request.after);
    begin = it == items.end() ? items.size() : static_cast<std::size_t>(it - items.begin()) + 1;
    if (request.limit && end - begin > *request.limit) {
      end = begin + *request.limit;
      more_after_end = true;
    }
  } else if (!request.before.empty()) {
    auto it = cursor(request.before);
    end = it == items.end() ? 0 : static_cast<std::size_t>(it - items.begin());
    if (request.limit && end > *request.limit) {
      begin = end - *request.limit;
      more_before_begin = true;
    }
  } else if (request.limit && end > *request.limit) {
    end = *request.limit;
    more_after_end = true;
  }
  Page<T> page;
  page.has_more = more_before_begin || more_after_end;
  if (begin < end)
    page.items.assign(std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(begin)),
                      std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(end)));
  return page;
}

}  // namespace tern::api
