// tag_list.hpp - the "tag=value; tag=value" syntax shared by DKIM key
// records (RFC 6376 §3.2) and DMARC records (RFC 7489 §6.4, RFC 9989), plus
// the small ASCII text helpers the record parsers share. Pure.
//
// parse_tag_list promises: names are ALPHA *(ALPHA / DIGIT / "_") and kept
// as written; whitespace around names, "=" and values is dropped, inner
// whitespace in a value is kept; empty segments (";;", a trailing ";") are
// skipped; a segment without "=", a bad name, a control or non-ASCII byte,
// or a name given twice is an invalid_argument Error whose message says
// which tag is wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/util/result.hpp"

namespace tern::dns {

struct Tag {
  std::string name;
  std::string value;
};

Result<std::vector<Tag>> parse_tag_list(std::string_view text);

// Text helpers (ASCII only: DNS record syntax is ASCII).
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string_view trim(std::string_view text);  // SP, HTAB, CR, LF
bool is_wsp(char c);                           // SP, HTAB, CR, LF
std::vector<std::string> split(std::string_view text, char separator);  // keeps empty pieces
// shorten - text cut to at most max bytes with "..." in the middle, for
// messages that quote long values (DKIM keys).
std::string shorten(std::string_view text, std::size_t max = 60);

}  // namespace tern::dns
