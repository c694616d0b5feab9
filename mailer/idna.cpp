// idna.cpp - see idna.hpp. The encoder follows RFC 3492 §6.3 step by step.
#include "mailer/idna.hpp"

#include <cctype>
#include <cstdint>
#include <vector>

#include "mailer/utf8.hpp"

namespace tern::mailer {
namespace {

constexpr std::uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
constexpr std::uint32_t kInitialBias = 72, kInitialN = 128;
constexpr std::uint64_t kMaxDelta = 0xFFFFFFFFu;

std::optional<std::vector<std::uint32_t>> code_points(std::string_view utf8) {
  if (!is_valid_utf8(utf8)) return std::nullopt;
  std::vector<std::uint32_t> out;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const std::size_t n = utf8_char_length(utf8, pos);
    std::uint32_t c = static_cast<unsigned char>(utf8[pos]);
    if (n > 1) c &= (0xFFu >> (n + 1));
    for (std::size_t i = 1; i < n; ++i) c = (c << 6) | (static_cast<unsigned char>(utf8[pos + i]) & 0x3Fu);
    out.push_back(c);
    pos += n;
  }
  return out;
}

char digit(std::uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); }

std::uint32_t adapt(std::uint64_t delta, std::uint64_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return static_cast<std::uint32_t>(k + (kBase - kTmin + 1) * delta / (delta + kSkew));
}

// encode_delta - one variable-length integer (RFC 3492 §3.3).
void encode_delta(std::uint64_t q, std::uint32_t bias, std::string& out) {
  for (std::uint32_t k = kBase;; k += kBase) {
    const std::uint32_t t = k <= bias ? kTmin : (k >= bias + kTmax ? kTmax : k - bias);
    if (q < t) break;
    out += digit(static_cast<std::uint32_t>(t + (q - t) % (kBase - t)));
    q = (q - t) / (kBase - t);
  }
  out += digit(static_cast<std::uint32_t>(q));
}

std::string lowercase_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::optional<std::string> punycode_encode(std::string_view utf8) {
  const auto input = code_points(utf8);
  if (!input) return std::nullopt;
  std::string out;
  for (std::uint32_t c : *input) {
    if (c < 0x80) out += static_cast<char>(c);
  }
  const std::size_t basic = out.size();
  if (basic > 0) out += '-';
  std::uint32_t n = kInitialN, bias = kInitialBias;
  std::uint64_t delta = 0;
  for (std::size_t handled = basic; handled < input->size(); ++delta, ++n) {
    std::uint32_t m = 0xFFFFFFFFu;
    for (std::uint32_t c : *input) {
      if (c >= n && c < m) m = c;
    }
    delta += static_cast<std::uint64_t>(m - n) * (handled + 1);
    if (delta > kMaxDelta) return std::nullopt;
    n = m;
    for (std::uint32_t c : *input) {
      if (c < n && ++delta > kMaxDelta) return std::nullopt;
      if (c != n) continue;
      encode_delta(delta, bias, out);
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
  }
  return out;
}

std::optional<std::string> domain_to_ascii(std::string_view domain) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string label = lowercase_ascii(domain.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (is_ascii(label)) {
      out += label;
    } else {
      auto encoded = punycode_encode(label);
      if (!encoded) return std::nullopt;
      out += "xn--" + *encoded;
    }
    if (dot == std::string_view::npos) return out;
    out += '.';
    start = dot + 1;
  }
}

std::string address_to_ascii(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || is_ascii(address.substr(at + 1))) return std::string(address);
  auto domain = domain_to_ascii(address.substr(at + 1));
  if (!domain) return std::string(address);
  return std::string(address.substr(0, at + 1)) + *domain;
}

}  // namespace tern::mailer
