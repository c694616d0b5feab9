// batch.hpp - POST /emails/batch (resend-api.md §5.2).
//
// The body is a JSON array of 1..100 send requests (send_request.hpp
// rules; attachments are refused in a batch, as Resend does, with 422
// invalid_attachment). The x-batch-validation header picks the mode:
//   strict (default; also when absent): any invalid email fails the whole
//     request with that email's error and nothing is created;
//   permissive: the valid emails are created, the invalid ones reported as
//     {"index", "message"} in "errors" (200 even when none is valid).
// Another header value is 422 validation_error. The created emails are
// written in one MULTI/EXEC (EmailStore::create_batch): a crash leaves all
// of them or none. Answer: {"data":[{"id"},...]} in input order, plus
// "errors":[...] in permissive mode.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/router.hpp"
#include "api/send_request.hpp"

namespace tern::api {

inline constexpr std::size_t kMaxBatchEmails = 100;

enum class BatchValidation { strict, permissive };

// read_batch_validation - the x-batch-validation header. Pure.
ApiResult<BatchValidation> read_batch_validation(const ApiRequest& request);

struct BatchItemError {
  std::size_t index = 0;
  ApiError error;
};

struct ParsedBatch {
  std::vector<std::pair<std::size_t, SendRequest>> valid;  // input index, request
  std::vector<BatchItemError> errors;                      // in input order
};

// parse_batch - the body, each email validated and its schedule checked
// against now. Strict mode stops at the first invalid email and returns its
// error. Pure.
ApiResult<ParsedBatch> parse_batch(std::string_view body, BatchValidation mode, TimePoint now);

ApiResponse send_batch(const ApiRequest& request, ApiServices& services);

}  // namespace tern::api
