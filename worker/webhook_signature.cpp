// webhook_signature.cpp - see webhook_signature.hpp.
#include "worker/webhook_signature.hpp"

#include "store/util/encoding.hpp"

namespace tern::worker {

Result<std::string> signing_key(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.substr(0, kPrefix.size()) == kPrefix) secret.remove_prefix(kPrefix.size());
  auto key = base64_decode(secret);
  if (!key || key->empty()) return fail(Errc::invalid_argument, "webhook signing secret is not base64");
  return *key;
}

Result<std::string> sign(std::string_view secret, std::string_view msg_id, int64_t timestamp, std::string_view body) {
  auto key = signing_key(secret);
  if (!key) return tl::unexpected(key.error());
  std::string content;
  content.reserve(msg_id.size() + body.size() + 24);
  content.append(msg_id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  return "v1," + base64_encode(hmac_sha256(*key, content));
}

bool verify(std::string_view secret, std::string_view msg_id, int64_t timestamp, std::string_view body,
            std::string_view signature_header) {
  auto expected = sign(secret, msg_id, timestamp, body);
  if (!expected) return false;
  bool matched = false;
  size_t start = 0;
  while (start <= signature_header.size()) {
    size_t space = signature_header.find(' ', start);
    std::string_view entry = signature_header.substr(start, space == std::string_view::npos ? space : space - start);
    if (!entry.empty() && constant_time_equal(entry, *expected)) matched = true;
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return matched;
}

Result<std::vector<Header>> signed_headers(std::string_view secret, std::string_view msg_id, int64_t timestamp,
                                           std::string_view body) {
  auto signature = sign(secret, msg_id, timestamp, body);
  if (!signature) return tl::unexpected(signature.error());
  const std::string id(msg_id), ts = std::to_string(timestamp);
  return std::vector<Header>{{"Content-Type", "application/json"}, {"webhook-id", id},
                             {"webhook-timestamp", ts},          {"webhook-signature", *signature},
                             {"svix-id", id},                    {"svix-timestamp", ts},
                             {"svix-signature", *signature}};
}

}  // namespace tern::worker
