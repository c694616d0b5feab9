// idempotency.hpp - the Idempotency-Key header on POST /emails and
// POST /emails/batch (resend-api.md §4).
//
// with_idempotency() wraps a handler. Without the header it just runs it.
// With it: a key outside 1..256 characters is 400 invalid_idempotency_key;
// the key is scoped to the team, the method and the route, and reserved
// atomically (store/redis/idempotency_store.hpp). The first request runs;
// a 2xx answer is stored for 24 hours and replayed byte for byte to a later
// request with the same key and the same body (same ids, nothing created);
// a different body gets 409 invalid_idempotent_request; a request while
// the first is still running gets 409 concurrent_idempotent_requests. A
// non-2xx answer releases the key so a corrected request can reuse it.
// Bodies are compared by the SHA-256 of their canonical JSON (keys sorted,
// no insignificant whitespace), so key order and spacing do not matter.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/router.hpp"

namespace tern::api {

inline constexpr std::size_t kMaxIdempotencyKey = 256;

// read_idempotency_key - the header's value, nullopt when not sent. Pure.
ApiResult<std::optional<std::string>> read_idempotency_key(const ApiRequest& request);

// canonical_body_hash - hex SHA-256 of the body's canonical JSON (of the
// raw bytes when the body is not JSON). Pure.
std::string canonical_body_hash(std::string_view body);

// with_idempotency - run `handler` under the request's Idempotency-Key.
// scope names the endpoint, e.g. "POST /emails".
ApiResponse with_idempotency(const ApiRequest& request, ApiServices& services, std::string_view scope,
                             const RouteHandler& handler);

}  // namespace tern::api
