// utf8.hpp - the little UTF-8 knowledge the mail builders need.
//
// Promises: never reads past the end of the input; an invalid or truncated
// sequence counts as a one-byte "character", so callers that split text on
// character boundaries always make progress and never cut a valid sequence.
#pragma once

#include <cstddef>
#include <string_view>

namespace tern::mailer {

// utf8_char_length - length of the character starting at text[pos]: the
// length of a well-formed sequence (1-4), or 1 for any invalid byte.
std::size_t utf8_char_length(std::string_view text, std::size_t pos);

// is_valid_utf8 - strict RFC 3629: no overlongs, no surrogates, <= U+10FFFF.
bool is_valid_utf8(std::string_view text);

// is_ascii - every byte below 0x80.
bool is_ascii(std::string_view text);

}  // namespace tern::mailer
