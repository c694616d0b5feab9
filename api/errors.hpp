// errors.hpp - the only mapping from a failure to Resend's error body.
//
// Every error Tern's API answers is an ApiError: an HTTP status, one of the
// canonical Resend error names (resend-api.md §2; the SDKs, PHP's whitelist
// and Rust's ErrorKind know no others) and a human message. to_body() renders
// exactly {"statusCode":N,"name":"...","message":"..."}; statusCode always
// equals the HTTP status. Handlers never build error JSON by hand.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

#include "store/util/result.hpp"

namespace tern::api {

struct ApiError {
  int status = 500;
  std::string name;
  std::string message;
};

template <class T>
using ApiResult = tl::expected<T, ApiError>;

// reject - build the unexpected half of an ApiResult.
inline tl::unexpected<ApiError> reject(ApiError error) { return tl::unexpected<ApiError>(std::move(error)); }

// to_body - the JSON body, served with Content-Type application/json.
std::string to_body(const ApiError& error);

// is_canonical_name - one of the 21 names every official SDK recognises.
bool is_canonical_name(std::string_view name);

// Authentication (401/403).
ApiError missing_api_key();
ApiError invalid_api_key();
ApiError restricted_api_key();

// Request validation (422 unless noted).
ApiError validation_error(std::string message, int status = 422);
ApiError missing_required_field(std::string_view field);  // "Missing `to` field."
ApiError invalid_from_address();
ApiError invalid_parameter(std::string message);           // e.g. invalid_uuid_parameter("id")
ApiError invalid_uuid_parameter(std::string_view name);    // "The `id` must be a valid UUID."
ApiError domain_not_verified(std::string_view domain);     // 403 validation_error

// Attachments, API keys and idempotency (resend-api.md §2, §4).
ApiError invalid_attachment(std::string message);          // 422
ApiError invalid_access();                                 // 422 bad `permission`
ApiError invalid_idempotency_key();                        // 400
ApiError invalid_idempotent_request();                     // 409 same key, other body
ApiError concurrent_idempotent_requests();                 // 409 same key in flight

// Routing.
ApiError not_found(std::string message = "The requested endpoint does not exist.");
ApiError method_not_allowed();

// Limits and faults.
ApiError rate_limit_exceeded(int per_second);
ApiError application_error(std::string message = "An unexpected error occurred.");
ApiError internal_server_error(std::string message = "An unexpected error occurred.");

// from_error - a store/util Error as the API reports it. Backend trouble
// (unavailable, internal, protocol) becomes a 500 whose message does not
// leak the backend's details; the caller logs the original.
ApiError from_error(const Error& error);

}  // namespace tern::api
