// json_body.hpp - a request body as a JSON object, parsed strictly.
//
// Promises: an empty (or all-whitespace) body is {} (SDKs send no body on
// bodiless POSTs); invalid JSON, invalid UTF-8, a duplicate key in any
// object, nesting deeper than kMaxJsonDepth, or a top level that is not an
// object are all 422 validation_error with a message saying which. Key order
// is kept (ordered_json) so custom headers stay in the order given.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/errors.hpp"

namespace tern::api {

inline constexpr int kMaxJsonDepth = 32;

// parse_json_value - any JSON value (object, array, ...) with the rules above
// except the object requirement.
ApiResult<nlohmann::ordered_json> parse_json_value(std::string_view body);

// parse_json_object - the same, and the top level must be an object.
ApiResult<nlohmann::ordered_json> parse_json_object(std::string_view body);

// json_type_name - "string", "array", ... for error messages.
const char* json_type_name(const nlohmann::ordered_json& value);

}  // namespace tern::api
