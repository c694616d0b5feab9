// tag_list_fuzz.cpp - libFuzzer target for dns::parse_tag_list and the text
// helpers beside it (dnscheck/tag_list.hpp).
//
// Invariants: accepted names are ALPHA *(ALPHA / DIGIT / "_") and unique;
// values hold no control or non-ASCII byte and no whitespace at either end;
// a parse error is invalid_argument with a reason. trim leaves no WSP at
// either end; split gives count(separator) + 1 pieces that join back;
// shorten never grows past its limit; ascii_lower compares equal.
#include <set>
#include <string>

#include "dnscheck/tag_list.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace dns = tern::dns;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void check_tags(const std::vector<dns::Tag>& tags) {
  std::set<std::string> names;
  for (const auto& tag : tags) {
    FUZZ_CHECK(!tag.name.empty() && is_alpha(tag.name.front()), "tag name does not start with ALPHA");
    for (char c : tag.name) FUZZ_CHECK(is_alpha(c) || is_digit(c) || c == '_', "bad tag name character");
    FUZZ_CHECK(names.insert(tag.name).second, "tag name given twice accepted");
    for (char c : tag.value) {
      const auto u = static_cast<unsigned char>(c);
      FUZZ_CHECK(u < 0x80 && (u >= 0x20 || dns::is_wsp(c)), "control or non-ASCII byte in a value");
    }
    FUZZ_CHECK(tag.value.empty() || (!dns::is_wsp(tag.value.front()) && !dns::is_wsp(tag.value.back())),
               "whitespace around a value");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = tern::fuzz::as_view(data, size);
  auto tags = dns::parse_tag_list(text);
  if (tags) {
    check_tags(*tags);
  } else {
    FUZZ_CHECK(tags.error().code == tern::Errc::invalid_argument, "parse errors are invalid_argument");
    FUZZ_CHECK(!tags.error().message.empty(), "parse error without a reason");
  }

  const std::string_view trimmed = dns::trim(text);
  FUZZ_CHECK(trimmed.empty() || (!dns::is_wsp(trimmed.front()) && !dns::is_wsp(trimmed.back())), "trim left WSP");
  const auto pieces = dns::split(text, ';');
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) joined += (i ? ";" : "") + pieces[i];
  FUZZ_CHECK(joined == text, "split pieces do not join back");
  const std::size_t max = size ? data[0] : 60;
  const std::string short_text = dns::shorten(text, max);
  if (max >= 8) FUZZ_CHECK(short_text.size() <= max, "shorten grew past its limit");
  FUZZ_CHECK(dns::iequals(text, dns::ascii_lower(text)), "ascii_lower changed more than case");
  return 0;
}
