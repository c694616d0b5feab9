// domain_name.cpp - name, return-path, region and TLS checks.
#include "domains/domain_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tern::domains {
namespace {

bool is_ldh(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// label_problem - what is wrong with one label, or empty.
std::string label_problem(std::string_view label) {
  if (label.empty()) return "has an empty label";
  if (label.size() > kMaxLabelLength) return "has a label longer than 63 characters";
  for (char c : label)
    if (!is_ldh(c)) return "may only contain letters, digits, hyphens and dots";
  if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with a hyphen";
  return {};
}

}  // namespace

Result<std::string> normalize_domain_name(std::string_view name) {
  std::string text = lowercase(name);
  if (!text.empty() && text.back() == '.') text.pop_back();
  auto invalid = [&](const std::string& why) {
    return fail(Errc::invalid_argument, "The domain name `" + std::string(name) + "` " + why + ".");
  };
  if (text.empty()) return invalid("is empty");
  if (text.size() > kMaxDomainLength) return invalid("is longer than 253 characters");
  if (text.find('.') == std::string::npos) return invalid("needs at least one dot (e.g. example.com)");
  std::size_t start = 0;
  std::string last;
  while (start <= text.size()) {
    std::size_t dot = text.find('.', start);
    if (dot == std::string::npos) dot = text.size();
    last = text.substr(start, dot - start);
    if (auto why = label_problem(last); !why.empty()) return invalid(why);
    start = dot + 1;
  }
  bool all_digits = true;
  for (char c : last) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) return invalid("is an IP address, not a domain");
  return text;
}

Result<std::string> check_return_path(std::string_view label) {
  const bool ok = !label.empty() && label.size() <= kMaxLabelLength &&
                  std::isalpha(static_cast<unsigned char>(label.front())) &&
                  std::isalnum(static_cast<unsigned char>(label.back())) &&
                  std::all_of(label.begin(), label.end(), is_ldh);
  if (!ok)
    return fail(Errc::invalid_argument,
                "The `custom_return_path` must be 1 to 63 characters of letters, digits and hyphens, "
                "start with a letter and end with a letter or digit.");
  return lowercase(label);
}

bool is_region(std::string_view region) {
  constexpr std::array<std::string_view, 4> kRegions = {"us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1"};
  for (auto r : kRegions)
    if (r == region) return true;
  return false;
}

bool is_tls_mode(std::string_view tls) { return tls == "opportunistic" || tls == "enforced"; }

}  // namespace tern::domains
