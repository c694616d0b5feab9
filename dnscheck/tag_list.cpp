// tag_list.cpp - RFC 6376 §3.2 tag-lists and ASCII helpers.
//
// The grammar is tag-list = tag-spec *( ";" tag-spec ) [ ";" ] with
// tag-spec = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]. We accept empty
// segments (";;") because publishers type them and no verifier rejects them;
// everything else follows the grammar, so a record that parses here parses
// in receivers too.
#include "dnscheck/tag_list.hpp"

#include <set>

namespace tern::dns {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool valid_tag_name(std::string_view name) {
  if (name.empty() || !is_alpha(name[0])) return false;
  for (char c : name) {
    if (!is_alpha(c) && !is_digit(c) && c != '_') return false;
  }
  return true;
}

// valid_tag_value - VALCHAR (%x21-3A / %x3C-7E) runs separated by whitespace.
bool valid_tag_value(std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (is_wsp(c)) continue;
    if (u < 0x21 || u > 0x7e) return false;
  }
  return true;
}

}  // namespace

bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_wsp(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_wsp(text.back())) text.remove_suffix(1);
  return text;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return a.size() == b.size() && ascii_lower(a) == ascii_lower(b); }

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    pieces.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

std::string shorten(std::string_view text, std::size_t max) {
  if (text.size() <= max || max < 8) return std::string(text);
  const std::size_t half = (max - 3) / 2;
  return std::string(text.substr(0, half)) + "..." + std::string(text.substr(text.size() - half));
}

Result<std::vector<Tag>> parse_tag_list(std::string_view text) {
  std::vector<Tag> tags;
  std::set<std::string> seen;
  std::size_t index = 0;
  for (const std::string& segment : split(text, ';')) {
    ++index;
    const std::string_view spec = trim(segment);
    if (spec.empty()) continue;
    const std::size_t eq = spec.find('=');
    if (eq == std::string_view::npos) {
      return fail(Errc::invalid_argument, "\"" + std::string(spec) + "\" (tag " + std::to_string(index) +
                                              ") is not of the form name=value");
    }
    const std::string name(trim(spec.substr(0, eq)));
    const std::string value(trim(spec.substr(eq + 1)));
    if (!valid_tag_name(name)) return fail(Errc::invalid_argument, "\"" + name + "\" is not a valid tag name");
    if (!valid_tag_value(value)) {
      return fail(Errc::invalid_argument, "the value of tag " + name + "= holds a control or non-ASCII character");
    }
    if (!seen.insert(name).second) {
      return fail(Errc::invalid_argument, "tag " + name + "= appears twice; a record with a repeated tag is invalid");
    }
    tags.push_back(Tag{name, value});
  }
  return tags;
}

}  // namespace tern::dns
