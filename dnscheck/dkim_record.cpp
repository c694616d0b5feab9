// dkim_record.cpp - the DKIM key record parser. Pure; OpenSSL is used only
// to read an RSA key's size out of its DER encoding.
//
// The checks run in the order a person fixing the record needs them:
// syntax, then version, then tags that make the key unusable for us, then
// the key bytes themselves.
#include "dnscheck/dkim_record.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>

#include "dnscheck/tag_list.hpp"
#include "store/util/encoding.hpp"

namespace tern::dns {
namespace {

constexpr std::size_t kEd25519KeySize = 32;
constexpr std::size_t kEd25519SpkiSize = 44;  // 12-byte DER header + 32-byte key

tl::unexpected<Error> syntax(std::string message) { return fail(Errc::invalid_argument, std::move(message)); }

const Tag* find_tag(const std::vector<Tag>& tags, std::string_view name) {
  for (const Tag& tag : tags) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

std::vector<std::string> colon_list(std::string_view value) {
  std::vector<std::string> out;
  for (const std::string& piece : split(value, ':')) {
    const std::string item = ascii_lower(trim(piece));
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// rsa_key_bits - modulus size of a DER SubjectPublicKeyInfo RSA key, 0 when
// the bytes are not one.
int rsa_key_bits(const std::string& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size()));
  if (key == nullptr) return 0;
  const bool whole = cursor == reinterpret_cast<const unsigned char*>(der.data()) + der.size();
  const int bits = whole && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA ? EVP_PKEY_get_bits(key) : 0;
  EVP_PKEY_free(key);
  return bits;
}

Result<void> check_key_bytes(DkimKeyRecord& record) {
  if (record.key_type == "ed25519") {
    if (record.public_key.size() == kEd25519SpkiSize) {
      return syntax("p= holds an Ed25519 key wrapped in SubjectPublicKeyInfo; RFC 8463 publishes only the 32 raw "
                    "key bytes (base64 of the last 32 bytes)");
    }
    if (record.public_key.size() != kEd25519KeySize) {
      return syntax("p= decodes to " + std::to_string(record.public_key.size()) +
                    " bytes; an Ed25519 key is 32 bytes");
    }
    record.key_bits = 256;
    return {};
  }
  record.key_bits = rsa_key_bits(record.public_key);
  if (record.key_bits == 0) return syntax("p= is not a DER-encoded RSA public key (SubjectPublicKeyInfo)");
  if (record.key_bits < 1024) {
    return syntax("the RSA key has " + std::to_string(record.key_bits) +
                  " bits; verifiers reject keys under 1024 bits: publish a 2048-bit key");
  }
  if (record.key_bits == 1024) record.warnings.push_back("the RSA key has only 1024 bits; 2048 is recommended");
  return {};
}

// decode_p - p= without whitespace, decoded; errors say what was pasted wrong.
Result<void> decode_p(DkimKeyRecord& record, std::string_view value) {
  std::string compact;
  for (char c : value) {
    if (!is_wsp(c)) compact += c;
  }
  if (compact.find("-----") != std::string::npos) {
    return syntax("p= holds PEM armour (-----BEGIN PUBLIC KEY-----); publish only the base64 between the armour "
                  "lines, on one line");
  }
  if (compact.find('"') != std::string::npos) {
    return syntax("p= holds quote marks; the DNS provider stored them literally: paste the value without quotes");
  }
  record.public_key_base64 = compact;
  if (compact.empty()) {
    record.revoked = true;
    return {};
  }
  std::optional<std::string> bytes = base64_decode(compact);
  if (!bytes || bytes->empty()) return syntax("p= is not valid base64");
  record.public_key = std::move(*bytes);
  return check_key_bytes(record);
}

Result<void> check_tags(DkimKeyRecord& record, const std::vector<Tag>& tags) {
  if (const Tag* v = find_tag(tags, "v"); v != nullptr && (&tags.front() != v || v->value != "DKIM1")) {
    return syntax(&tags.front() != v ? "v= must be the first tag" : "v=" + v->value + " is not v=DKIM1");
  }
  if (const Tag* k = find_tag(tags, "k")) {
    record.key_type = ascii_lower(k->value);
    if (record.key_type != "rsa" && record.key_type != "ed25519") {
      return syntax("k=" + k->value + " is not a key type verifiers know: use rsa or ed25519");
    }
  }
  if (const Tag* h = find_tag(tags, "h")) {
    record.hashes = colon_list(h->value);
    if (!contains(record.hashes, "sha256")) {
      return syntax("h=" + h->value + " does not allow sha256, which our signatures use: remove h= or add sha256");
    }
  }
  if (const Tag* s = find_tag(tags, "s")) {
    const std::vector<std::string> services = colon_list(s->value);
    if (!contains(services, "email") && !contains(services, "*")) {
      return syntax("s=" + s->value + " does not allow email: remove s= or use s=email");
    }
  }
  if (const Tag* t = find_tag(tags, "t")) {
    const std::vector<std::string> flags = colon_list(t->value);
    record.testing = contains(flags, "y");
    record.strict = contains(flags, "s");
    if (record.testing) record.warnings.push_back("t=y: the key is in testing mode; verifiers may ignore failures");
  }
  return {};
}

}  // namespace

Result<DkimKeyRecord> parse_dkim_key(std::string_view txt) {
  Result<std::vector<Tag>> tags = parse_tag_list(txt);
  if (!tags) return tl::unexpected(tags.error());
  if (tags->empty()) return syntax("the record is empty");
  DkimKeyRecord record;
  if (Result<void> ok = check_tags(record, *tags); !ok) return tl::unexpected(ok.error());
  const Tag* p = find_tag(*tags, "p");
  if (p == nullptr) return syntax("the record has no p= tag (the public key)");
  if (Result<void> ok = decode_p(record, p->value); !ok) return tl::unexpected(ok.error());
  return record;
}

bool same_dkim_key(const DkimKeyRecord& a, const DkimKeyRecord& b) {
  return a.key_type == b.key_type && !a.revoked && !b.revoked && a.public_key == b.public_key;
}

std::string dkim_key_fingerprint(const DkimKeyRecord& key) {
  if (key.revoked) return "revoked";
  return "sha256:" + hex_encode(sha256(key.public_key)).substr(0, 16);
}

}  // namespace tern::dns
