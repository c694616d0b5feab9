// header_encoding.hpp - RFC 2047 encoded-words and the header-text pieces
// built from them.
//
// Promises:
//  - no output ever holds CR, LF or NUL: sanitize_header_text turns them into
//    spaces before anything else looks at the text (header injection);
//  - every encoded-word is "=?UTF-8?B?...?=" or "=?UTF-8?Q?...?=", at most 75
//    characters (RFC 2047 §2), and holds only whole UTF-8 characters (§5);
//  - Q words use the phrase-safe alphabet (letters, digits, "!*+-/"), so the
//    same words serve Subject, display names and custom headers;
//  - "pieces" are the units fold_header (header_folding.hpp) lays out: the
//    first carries no leading whitespace, every later one starts with the
//    whitespace that separates it from its predecessor, so folding before any
//    of them never changes the unfolded value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tern::mailer {

inline constexpr std::size_t kMaxEncodedWord = 75;

// sanitize_header_text - CR, LF and NUL become spaces.
std::string sanitize_header_text(std::string_view text);

// encode_words - UTF-8 text as encoded-words, B or Q (whichever is shorter
// for this text). The first word is at most first_max characters (when that
// leaves room for at least one character), the rest at most 75. Empty text
// gives no words.
std::vector<std::string> encode_words(std::string_view text, std::size_t first_max = kMaxEncodedWord);

// unstructured_pieces - a Subject or custom header value. Printable ASCII
// stays readable (split at its own whitespace); anything else (non-ASCII,
// control characters, text that looks like an encoded-word, a token too long
// to fit in a line) becomes encoded-words. first_budget is the room left on
// the header's first line.
std::vector<std::string> unstructured_pieces(std::string_view text, std::size_t first_budget);

// phrase_pieces - a display name as atoms, one quoted-string, or
// encoded-words, whichever is the first that can carry it exactly.
std::vector<std::string> phrase_pieces(std::string_view display_name, std::size_t first_budget);

// unfold - a field value with its folding CRLFs removed (RFC 5322 §2.2.3).
std::string unfold(std::string_view value);

// decode_encoded_words - the reverse, for tests and bounce parsing: unfolds,
// decodes B and Q words (charset label ignored, bytes returned as they are),
// drops whitespace between adjacent encoded-words and keeps anything
// malformed literally.
std::string decode_encoded_words(std::string_view value);

}  // namespace tern::mailer
