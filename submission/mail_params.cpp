// mail_params.cpp - MAIL FROM parameter checking.
#include "submission/mail_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace tern::submission {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::toupper(c)); });
  return out;
}

}  // namespace

Result<MailParams> parse_mail_params(std::string_view params) {
  MailParams out;
  bool body_seen = false, auth_seen = false;
  while (!params.empty()) {
    while (!params.empty() && params.front() == ' ') params.remove_prefix(1);
    if (params.empty()) break;
    auto end = params.find(' ');
    std::string_view param = params.substr(0, end);
    params = end == std::string_view::npos ? std::string_view() : params.substr(end);
    auto eq = param.find('=');
    std::string name = upper(param.substr(0, eq));
    std::string_view value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
    if (name == "SIZE" && eq != std::string_view::npos && !out.size) {
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || p != value.data() + value.size())
        return fail(Errc::invalid_argument, "SIZE must be a number of octets");
      out.size = n;
    } else if (name == "BODY" && !body_seen) {
      std::string body = upper(value);
      if (body != "7BIT" && body != "8BITMIME") return fail(Errc::invalid_argument, "BODY must be 7BIT or 8BITMIME");
      out.eight_bit_mime = body == "8BITMIME";
      body_seen = true;
    } else if (name == "SMTPUTF8" && eq == std::string_view::npos && !out.smtputf8) {
      out.smtputf8 = true;
    } else if (name == "AUTH" && eq != std::string_view::npos && !auth_seen) {
      auth_seen = true;  // the submitter is the authenticated key, whatever AUTH= says
    } else {
      return fail(Errc::invalid_argument, "unsupported or repeated MAIL parameter " + name);
    }
  }
  return out;
}

}  // namespace tern::submission
