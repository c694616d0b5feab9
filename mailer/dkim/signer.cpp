// signer.cpp - DKIM signing of finished messages (RFC 6376 §5, RFC 8463).
//
// dkim_signature_header fills a Signature (relaxed/relaxed, t= now, h= with
// oversigning, bh=), hashes the selected headers plus its own text with an
// empty b= and fills b=. Nothing here touches key material: SigningKey signs.
#include "mailer/dkim/signer.hpp"

#include <algorithm>
#include <map>

#include "mailer/dkim/signature.hpp"
#include "store/util/encoding.hpp"

namespace tern::dkim {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::size_t count_fields(const std::vector<HeaderField>& headers, std::string_view name) {
  std::size_t n = 0;
  for (const auto& field : headers)
    if (equals_ignore_case(field.name, name)) ++n;
  return n;
}

// valid_dns_label_text - d= and s= as Tern produces them: letters, digits,
// '-', '_' and '.', nothing that could break the tag list.
bool valid_dns_label_text(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<void> check_config(const SignerConfig& config) {
  if (config.key == nullptr) return fail(Errc::invalid_argument, "DKIM signer has no key");
  if (!valid_dns_label_text(config.domain)) return fail(Errc::invalid_argument, "bad DKIM domain (d=)");
  if (!valid_dns_label_text(config.selector)) return fail(Errc::invalid_argument, "bad DKIM selector (s=)");
  return {};
}

}  // namespace

std::vector<std::string> default_signed_headers() {
  return {"from", "to", "cc", "subject", "date", "message-id", "reply-to", "mime-version", "content-type"};
}

std::vector<std::string> signed_header_names(const std::vector<HeaderField>& headers,
                                             const std::vector<std::string>& wanted) {
  std::vector<std::string> h;
  std::vector<std::string> present;
  for (const auto& name : wanted) {
    std::size_t n = count_fields(headers, name);
    bool repeated = std::find(present.begin(), present.end(), lowercase(name)) != present.end();
    if (n == 0 || repeated) continue;
    for (std::size_t i = 0; i < n; ++i) h.push_back(lowercase(name));
    present.push_back(lowercase(name));
  }
  h.insert(h.end(), present.begin(), present.end());  // one more than they occur
  return h;
}

std::string body_hash(std::string_view body, Canon canon) { return base64_encode(sha256(canon_body(canon, body))); }

std::string header_hash_input(const std::vector<HeaderField>& headers, const std::vector<std::string>& h,
                              const HeaderField& signature_field, Canon canon) {
  std::string input;
  std::map<std::string, std::size_t> used;  // lowercased name → instances taken from the bottom
  for (const auto& name : h) {
    std::string key = lowercase(name);
    std::size_t skip = used[key]++;
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
      if (!equals_ignore_case(it->name, key)) continue;
      if (skip-- > 0) continue;
      input += canon_header(canon, *it);
      input += "\r\n";
      break;
    }
  }
  input += canon_header(canon, signature_field);
  return input;
}

Result<std::string> sign_header_hash_input(std::string_view input, const SigningKey& key) {
  auto signature = key.type() == KeyType::ed25519 ? key.sign(sha256(input)) : key.sign(input);
  if (!signature) return tl::unexpected(signature.error());
  return base64_encode(*signature);
}

Result<std::string> dkim_signature_header(std::string_view message, const SignerConfig& config,
                                          std::chrono::system_clock::time_point now) {
  if (auto ok = check_config(config); !ok) return tl::unexpected(ok.error());
  auto split = split_message(message);
  if (!split) return tl::unexpected(split.error());
  std::size_t from_count = count_fields(split->headers, "from");
  if (from_count != 1)
    return fail(Errc::invalid_argument, from_count == 0 ? "cannot DKIM-sign a message without a From header"
                                                        : "cannot DKIM-sign a message with several From headers");

  Signature signature;
  signature.a = algorithm_tag(config.key->type());
  signature.d = config.domain;
  signature.s = config.selector;
  signature.t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  signature.h = signed_header_names(split->headers, config.headers);
  signature.bh = body_hash(split->body, signature.body_canon);

  auto unsigned_field = parse_header_field(signature.to_header());  // b= empty
  if (!unsigned_field) return tl::unexpected(unsigned_field.error());
  std::string input = header_hash_input(split->headers, signature.h, *unsigned_field, signature.header_canon);
  auto b = sign_header_hash_input(input, *config.key);
  if (!b) return tl::unexpected(b.error());
  signature.b = std::move(*b);
  return signature.to_header();
}

Result<std::string> sign_message(std::string_view message, const std::vector<SignerConfig>& configs,
                                 std::chrono::system_clock::time_point now) {
  std::string headers;
  for (const auto& config : configs) {
    auto header = dkim_signature_header(message, config, now);
    if (!header) return tl::unexpected(header.error());
    headers += *header;
  }
  headers += message;
  return headers;
}

}  // namespace tern::dkim
