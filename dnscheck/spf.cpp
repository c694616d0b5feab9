// spf.cpp - the SPF record parser (RFC 7208 §4.5, §5, §6, §7, §12). Pure.
//
// A record is "v=spf1" then terms separated by spaces. A term whose name
// (ALPHA *(ALPHA / DIGIT / "-" / "_" / ".")) is followed by "=" before any
// ":" or "/" is a modifier; anything else is a directive: an optional
// qualifier and a mechanism. Mechanism and modifier names are
// case-insensitive. Domain-specs are macro-strings ending in a top label or
// a macro; macros are checked for syntax, never expanded here.
#include "dnscheck/spf.hpp"

#include <arpa/inet.h>

#include "dnscheck/tag_list.hpp"

namespace tern::dns {
namespace {

using Error = tern::Error;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

tl::unexpected<Error> syntax(std::string message) { return fail(Errc::invalid_argument, std::move(message)); }

// check_macro_string - RFC 7208 §7.1 macro-string: visible ASCII with "%"
// only in %{letter digits [r] delimiters}, %%, %_ or %-. Returns an error
// text, empty when fine.
std::string check_macro_string(std::string_view text) {
  static constexpr std::string_view kLetters = "slodiphv";
  static constexpr std::string_view kDelimiters = ".-+,/_=";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x21 || c > 0x7e) return "holds a character that is not visible ASCII";
    if (c != '%') continue;
    if (i + 1 >= text.size()) return "ends with a lone '%'";
    const char next = text[i + 1];
    if (next == '%' || next == '_' || next == '-') {
      ++i;
      continue;
    }
    if (next != '{') return "has '%' not followed by '{', '%', '_' or '-' (write %% for a percent sign)";
    std::size_t j = i + 2;
    if (j >= text.size() || kLetters.find(static_cast<char>(ascii_lower(text.substr(j, 1))[0])) == std::string_view::npos) {
      return "has a macro with an unknown letter (one of s l o d i p h v)";
    }
    ++j;
    while (j < text.size() && is_digit(text[j])) ++j;
    if (j < text.size() && (text[j] == 'r' || text[j] == 'R')) ++j;
    while (j < text.size() && kDelimiters.find(text[j]) != std::string_view::npos) ++j;
    if (j >= text.size() || text[j] != '}') return "has an unterminated or malformed %{...} macro";
    i = j;
  }
  return {};
}

// check_toplabel - RFC 7208 §7.1 toplabel: letters, digits and inner
// hyphens, not all digits.
bool check_toplabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  bool has_non_digit = false;
  for (char c : label) {
    if (!is_alnum(c) && c != '-') return false;
    if (!is_digit(c)) has_non_digit = true;
  }
  return has_non_digit;
}

// check_domain_spec - domain-spec = macro-string domain-end. Returns an
// error text naming the term, empty when fine.
std::string check_domain_spec(std::string_view spec, std::string_view term) {
  const std::string where = "\"" + std::string(term) + "\": ";
  if (spec.empty()) return where + "the domain is empty";
  if (std::string problem = check_macro_string(spec); !problem.empty()) return where + "the domain " + problem;
  if (spec.front() == '.' || spec.find("..") != std::string_view::npos) return where + "the domain has an empty label";
  if (spec.back() == '}' || (spec.size() >= 2 && spec[spec.size() - 2] == '%')) return {};  // ends in a macro
  std::string_view name = spec;
  if (name.back() == '.') name.remove_suffix(1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return where + "the domain must have at least two labels";
  if (!check_toplabel(name.substr(dot + 1))) return where + "the domain's last label is not a valid top label";
  if (spec.find('%') == std::string_view::npos) {
    for (const std::string& label : split(name, '.')) {
      if (label.size() > 63) return where + "a label is longer than 63 bytes";
    }
    if (name.size() > 253) return where + "the domain is longer than 253 bytes";
  }
  return {};
}

// check_cidr - "/N" with N in 0..max, no leading zeros.
bool check_cidr(std::string_view digits, int max) {
  if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) return false;
  int value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  return value <= max;
}

// take_dual_cidr - strips "[/ip4-cidr][//ip6-cidr]" off the end of rest.
std::string take_dual_cidr(std::string_view& rest, std::string& error) {
  std::string cidr;
  auto strip = [&](std::string_view marker, int max) {
    const std::size_t pos = rest.rfind(marker);
    if (pos == std::string_view::npos) return;
    if (marker == "/" && pos > 0 && rest[pos - 1] == '/') return;
    const std::string_view digits = rest.substr(pos + marker.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return;
    if (!check_cidr(digits, max)) error = "prefix length /" + std::string(digits) + " is out of range";
    cidr = std::string(rest.substr(pos)) + cidr;
    rest = rest.substr(0, pos);
  };
  strip("//", 128);
  strip("/", 32);
  return cidr;
}

Result<SpfMechanismKind> mechanism_kind(std::string_view name) {
  static const std::pair<const char*, SpfMechanismKind> kKinds[] = {
      {"all", SpfMechanismKind::all}, {"include", SpfMechanismKind::include}, {"a", SpfMechanismKind::a},
      {"mx", SpfMechanismKind::mx},   {"ptr", SpfMechanismKind::ptr},         {"ip4", SpfMechanismKind::ip4},
      {"ip6", SpfMechanismKind::ip6}, {"exists", SpfMechanismKind::exists},
  };
  for (const auto& [text, kind] : kKinds) {
    if (iequals(name, text)) return kind;
  }
  return syntax("unknown mechanism \"" + std::string(name) + "\"");
}

// parse_network - ip4:/ip6: value with an optional prefix length.
Result<void> parse_network(SpfMechanism& mechanism, std::string_view value, std::string_view term) {
  const bool v4 = mechanism.kind == SpfMechanismKind::ip4;
  std::string_view address = value;
  const std::size_t slash = value.find('/');
  if (slash != std::string_view::npos) {
    address = value.substr(0, slash);
    mechanism.cidr = std::string(value.substr(slash));
    if (!check_cidr(value.substr(slash + 1), v4 ? 32 : 128)) {
      return syntax("\"" + std::string(term) + "\": bad prefix length");
    }
  }
  unsigned char buffer[16];
  const std::string literal(address);
  if (::inet_pton(v4 ? AF_INET : AF_INET6, literal.c_str(), buffer) != 1) {
    return syntax("\"" + std::string(term) + "\": \"" + literal + "\" is not an " + (v4 ? "IPv4" : "IPv6") +
                  " address");
  }
  mechanism.target = literal;
  return {};
}

// parse_directive - [qualifier] mechanism.
Result<SpfMechanism> parse_directive(std::string_view term) {
  SpfMechanism mechanism;
  std::string_view body = term;
  switch (body.front()) {
    case '+': mechanism.qualifier = SpfQualifier::pass; body.remove_prefix(1); break;
    case '-': mechanism.qualifier = SpfQualifier::fail; body.remove_prefix(1); break;
    case '~': mechanism.qualifier = SpfQualifier::softfail; body.remove_prefix(1); break;
    case '?': mechanism.qualifier = SpfQualifier::neutral; body.remove_prefix(1); break;
    default: break;
  }
  mechanism.text = std::string(body);
  const std::size_t end = body.find_first_of(":/");
  Result<SpfMechanismKind> kind = mechanism_kind(body.substr(0, end));
  if (!kind) return tl::unexpected(kind.error());
  mechanism.kind = *kind;
  std::string_view rest = end == std::string_view::npos ? std::string_view() : body.substr(end);
  const SpfMechanismKind k = mechanism.kind;
  if (k == SpfMechanismKind::ip4 || k == SpfMechanismKind::ip6) {
    if (rest.empty() || rest.front() != ':') return syntax("\"" + std::string(term) + "\" needs \":address\"");
    Result<void> network = parse_network(mechanism, rest.substr(1), term);
    if (!network) return tl::unexpected(network.error());
    return mechanism;
  }
  if (k == SpfMechanismKind::a || k == SpfMechanismKind::mx) {
    std::string error;
    mechanism.cidr = take_dual_cidr(rest, error);
    if (!error.empty()) return syntax("\"" + std::string(term) + "\": " + error);
  }
  if (k == SpfMechanismKind::all) {
    if (!rest.empty()) return syntax("\"" + std::string(term) + "\": all takes no argument");
    return mechanism;
  }
  if (rest.empty()) {
    if (k == SpfMechanismKind::include || k == SpfMechanismKind::exists) {
      return syntax("\"" + std::string(term) + "\" needs \":domain\"");
    }
    return mechanism;
  }
  if (rest.front() != ':') return syntax("\"" + std::string(term) + "\" is malformed");
  mechanism.target = std::string(rest.substr(1));
  if (std::string problem = check_domain_spec(mechanism.target, term); !problem.empty()) return syntax(problem);
  return mechanism;
}

bool valid_modifier_name(std::string_view name) {
  if (name.empty() || !is_alpha(name[0])) return false;
  for (char c : name) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// parse_modifier - redirect=, exp= or an unknown name=macro-string.
Result<void> parse_modifier(SpfRecord& record, std::string_view term, std::size_t eq) {
  const std::string name = ascii_lower(term.substr(0, eq));
  const std::string value(term.substr(eq + 1));
  if (name == "redirect" || name == "exp") {
    std::optional<std::string>& slot = name == "redirect" ? record.redirect : record.exp;
    if (slot) return syntax(name + "= appears twice");
    if (std::string problem = check_domain_spec(value, term); !problem.empty()) return syntax(problem);
    slot = value;
    return {};
  }
  if (std::string problem = check_macro_string(value); !problem.empty()) {
    return syntax("\"" + std::string(term) + "\": the value " + problem);
  }
  record.other_modifiers.emplace_back(name, value);
  return {};
}

Result<void> parse_term(SpfRecord& record, std::string_view term) {
  for (char c : term) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return syntax("\"" + std::string(term) + "\" holds a control or non-ASCII character");
  }
  const std::size_t sep = term.find_first_of(":/=");
  if (sep != std::string_view::npos && term[sep] == '=') {
    if (!valid_modifier_name(term.substr(0, sep))) {
      return syntax("\"" + std::string(term) + "\" is neither a mechanism nor a modifier");
    }
    return parse_modifier(record, term, sep);
  }
  Result<SpfMechanism> mechanism = parse_directive(term);
  if (!mechanism) return tl::unexpected(mechanism.error());
  record.mechanisms.push_back(std::move(*mechanism));
  return {};
}

std::string normalized_term(std::string_view text) {
  std::string out = ascii_lower(text);
  if (!out.empty() && out.front() == '+') out.erase(0, 1);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

const char* to_string(SpfMechanismKind kind) {
  switch (kind) {
    case SpfMechanismKind::all: return "all";
    case SpfMechanismKind::include: return "include";
    case SpfMechanismKind::a: return "a";
    case SpfMechanismKind::mx: return "mx";
    case SpfMechanismKind::ptr: return "ptr";
    case SpfMechanismKind::ip4: return "ip4";
    case SpfMechanismKind::ip6: return "ip6";
    case SpfMechanismKind::exists: return "exists";
  }
  return "unknown";
}

bool SpfMechanism::counts_lookup() const {
  return kind == SpfMechanismKind::include || kind == SpfMechanismKind::a || kind == SpfMechanismKind::mx ||
         kind == SpfMechanismKind::ptr || kind == SpfMechanismKind::exists;
}

bool is_spf_record(std::string_view txt) { return istarts_with(txt, "v=spf1") && (txt.size() == 6 || txt[6] == ' '); }

std::vector<std::string> spf_records(const std::vector<std::string>& txt) {
  std::vector<std::string> out;
  for (const std::string& record : txt) {
    if (is_spf_record(record)) out.push_back(record);
  }
  return out;
}

Result<SpfRecord> parse_spf(std::string_view txt) {
  if (!is_spf_record(txt)) return syntax("the record does not start with \"v=spf1\"");
  SpfRecord record;
  for (const std::string& term : split(txt.substr(6), ' ')) {
    if (term.empty()) continue;  // several spaces in a row
    Result<void> parsed = parse_term(record, term);
    if (!parsed) return tl::unexpected(parsed.error());
  }
  return record;
}

bool spf_mechanism_matches(const SpfMechanism& mechanism, std::string_view wanted) {
  return mechanism.qualifier == SpfQualifier::pass && normalized_term(mechanism.text) == normalized_term(wanted);
}

std::string spf_with_mechanism(std::string_view record, std::string_view mechanism) {
  if (!is_spf_record(record)) return "v=spf1 " + std::string(mechanism) + " ~all";
  std::string out = "v=spf1";
  bool inserted = false;
  for (const std::string& term : split(record.substr(6), ' ')) {
    if (term.empty()) continue;
    const std::string lower = ascii_lower(term);
    const bool is_end = lower == "all" || (lower.size() == 4 && lower.substr(1) == "all") ||
                        lower.rfind("redirect=", 0) == 0;
    if (is_end && !inserted) {
      out += " " + std::string(mechanism);
      inserted = true;
    }
    out += " " + term;
  }
  if (!inserted) out += " " + std::string(mechanism);
  return out;
}

const char* to_string(SpfStatus status) {
  switch (status) {
    case SpfStatus::ok: return "ok";
    case SpfStatus::none: return "none";
    case SpfStatus::permerror: return "permerror";
    case SpfStatus::temperror: return "temperror";
  }
  return "unknown";
}

}  // namespace tern::dns
