// errors.cpp - the ApiError constructors and the Resend error body.
#include "api/errors.hpp"

#include <array>

#include <nlohmann/json.hpp>

namespace tern::api {
namespace {

// The union of Node's RESEND_ERROR_CODE_KEY, PHP's whitelist and Rust's
// ErrorKind (resend-api.md §2). Emitting any other name makes PHP return
// the error body as success data.
constexpr std::array<std::string_view, 21> kCanonicalNames = {
    "invalid_idempotency_key", "validation_error",       "missing_api_key",
    "restricted_api_key",      "invalid_api_key",        "not_found",
    "method_not_allowed",      "invalid_idempotent_request", "concurrent_idempotent_requests",
    "invalid_attachment",      "invalid_from_address",   "invalid_access",
    "invalid_parameter",       "invalid_region",         "missing_required_field",
    "rate_limit_exceeded",     "daily_quota_exceeded",   "monthly_quota_exceeded",
    "security_error",          "application_error",      "internal_server_error",
};

}  // namespace

std::string to_body(const ApiError& error) {
  nlohmann::ordered_json body;
  body["statusCode"] = error.status;
  body["name"] = error.name;
  body["message"] = error.message;
  // replace: a message quoting bad client input must never make dump() throw.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_canonical_name(std::string_view name) {
  for (auto known : kCanonicalNames)
    if (known == name) return true;
  return false;
}

ApiError missing_api_key() { return {401, "missing_api_key", "Missing API key in the authorization header."}; }
ApiError invalid_api_key() { return {403, "invalid_api_key", "API key is invalid."}; }
ApiError restricted_api_key() {
  return {401, "restricted_api_key", "This API key is restricted to only send emails."};
}

ApiError validation_error(std::string message, int status) {
  return {status, "validation_error", std::move(message)};
}

ApiError missing_required_field(std::string_view field) {
  return {422, "missing_required_field", "Missing `" + std::string(field) + "` field."};
}

ApiError invalid_from_address() {
  return {422, "invalid_from_address",
          "Invalid `from` field. The email address needs to follow the `email@example.com` or "
          "`Name <email@example.com>` format."};
}

ApiError invalid_parameter(std::string message) { return {422, "invalid_parameter", std::move(message)}; }

ApiError invalid_uuid_parameter(std::string_view name) {
  return invalid_parameter("The `" + std::string(name) + "` must be a valid UUID.");
}

ApiError domain_not_verified(std::string_view domain) {
  return validation_error("The `" + std::string(domain) +
                              "` domain is not verified. Please add and verify your domain with "
                              "POST /domains (or `tern domains add`) before sending from it.",
                          403);
}

ApiError invalid_attachment(std::string message) { return {422, "invalid_attachment", std::move(message)}; }

ApiError invalid_access() {
  return {422, "invalid_access", "Access must be \"full_access\" | \"sending_access\"."};
}

ApiError invalid_idempotency_key() {
  return {400, "invalid_idempotency_key", "Idempotency keys, if present, must have between 1 and 256 characters."};
}

ApiError invalid_idempotent_request() {
  return {409, "invalid_idempotent_request",
          "This idempotency key has been used with this HTTP method and endpoint within the last 24 hours, but the "
          "request body was modified and doesn't match the original request."};
}

ApiError concurrent_idempotent_requests() {
  return {409, "concurrent_idempotent_requests",
          "There is another request in progress with the same idempotency key."};
}

ApiError not_found(std::string message) { return {404, "not_found", std::move(message)}; }
ApiError method_not_allowed() { return {405, "method_not_allowed", "Method is not allowed for the requested path."}; }

ApiError rate_limit_exceeded(int per_second) {
  return {429, "rate_limit_exceeded",
          "Too many requests. You can only make " + std::to_string(per_second) +
              " requests per second. See rate limit response headers for more information. Or contact "
              "support to increase rate limit."};
}

ApiError application_error(std::string message) { return {500, "application_error", std::move(message)}; }
ApiError internal_server_error(std::string message) { return {500, "internal_server_error", std::move(message)}; }

ApiError from_error(const Error& error) {
  switch (error.code) {
    case Errc::invalid_argument: return validation_error(error.message);
    case Errc::not_found: return not_found(error.message);
    case Errc::conflict: return validation_error(error.message, 403);
    case Errc::unavailable:
      return application_error("The service is temporarily unavailable. Please try again later.");
    case Errc::protocol:
    case Errc::internal: return application_error();
  }
  return application_error();
}

}  // namespace tern::api
