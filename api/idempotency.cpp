// idempotency.cpp - reserve, run, then complete or release.
#include "api/idempotency.hpp"

#include <nlohmann/json.hpp>

#include "store/redis/idempotency_store.hpp"
#include "store/redis/keys.hpp"
#include "store/util/encoding.hpp"
#include "store/util/log.hpp"

namespace tern::api {

ApiResult<std::optional<std::string>> read_idempotency_key(const ApiRequest& request) {
  auto key = request_header(request, "idempotency-key");
  if (!key) return std::optional<std::string>();
  if (key->empty() || key->size() > kMaxIdempotencyKey) return reject(invalid_idempotency_key());
  return key;
}

std::string canonical_body_hash(std::string_view body) {
  // nlohmann::json (not ordered_json) keeps object keys sorted, so dump()
  // is a canonical form; integers and strings round-trip exactly.
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return hex_encode(sha256(body));
  return hex_encode(sha256(parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

ApiResponse with_idempotency(const ApiRequest& request, ApiServices& services, std::string_view scope,
                             const RouteHandler& handler) {
  auto key = read_idempotency_key(request);
  if (!key) return error_response(key.error());
  if (!*key) return handler(request, services);

  const std::string body_hash = canonical_body_hash(request.body);
  const std::string redis_key = store::keys::idempotency(request.context.team, scope.substr(0, scope.find(' ')),
                                                         scope.substr(scope.find(' ') + 1),
                                                         hex_encode(sha256(**key)));
  store::IdempotencyStore records(services.pool);
  auto lookup = records.reserve(redis_key, body_hash);
  if (!lookup) {
    log::error("idempotency reserve failed", {{"team", request.context.team}, {"error", lookup.error().message}});
    return error_response(from_error(lookup.error()));
  }
  switch (lookup->state) {
    case store::IdempotencyState::in_progress: return error_response(concurrent_idempotent_requests());
    case store::IdempotencyState::completed:
      if (lookup->body_hash != body_hash) return error_response(invalid_idempotent_request());
      return ApiResponse{lookup->status, lookup->response, {}};
    case store::IdempotencyState::reserved: break;
  }

  ApiResponse response;
  try {
    response = handler(request, services);
  } catch (...) {
    (void)records.release(redis_key, lookup->token);  // let the client retry at once
    throw;
  }
  if (response.status >= 200 && response.status < 300) {
    auto stored = records.complete(redis_key, lookup->token, body_hash, response.status, response.body);
    if (!stored || !*stored)
      log::warn("idempotency record not stored; a retry may send again",
                {{"team", request.context.team}, {"error", stored ? "reservation lost" : stored.error().message}});
  } else if (auto released = records.release(redis_key, lookup->token); !released) {
    log::warn("idempotency reservation not released; it expires by itself",
              {{"team", request.context.team}, {"error", released.error().message}});
  }
  return response;
}

}  // namespace tern::api
