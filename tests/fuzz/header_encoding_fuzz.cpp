// header_encoding_fuzz.cpp - libFuzzer target for RFC 2047 encoding and
// header folding (mailer/header_encoding.hpp, mailer/header_folding.hpp).
//
// The first byte picks the budget left on the first line; the rest is the
// text (a Subject, a display name, a custom header value). Invariants:
//  - sanitize_header_text leaves no CR, LF or NUL and keeps the length;
//  - encode_words gives "=?UTF-8?B|Q?...?=" words of at most 75 characters
//    (the first within its budget) that decode back to the text;
//  - unstructured_pieces and phrase_pieces hold no CR, LF or NUL, every
//    piece after the first starts with whitespace, and they read back as the
//    sanitized text;
//  - fold_header of them has CRLF line ends only, no line over 998 and no
//    whitespace-only line, and unfolds to "Name: " + the pieces.
#include <string>
#include <vector>

#include "mailer/header_encoding.hpp"
#include "mailer/header_folding.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using tern::fuzz::has_any_of;
using tern::fuzz::kCrLfNul;
namespace mailer = tern::mailer;

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string join(const std::vector<std::string>& pieces, std::string_view separator = "") {
  std::string out;
  for (std::size_t i = 0; i < pieces.size(); ++i) out += (i ? std::string(separator) : "") + pieces[i];
  return out;
}

void check_words(std::string_view text, std::size_t first_max) {
  const std::vector<std::string> words = mailer::encode_words(text, first_max);
  FUZZ_CHECK(text.empty() == words.empty(), "words for empty text, or none for text");
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool b_or_q = word.rfind("=?UTF-8?B?", 0) == 0 || word.rfind("=?UTF-8?Q?", 0) == 0;
    FUZZ_CHECK(b_or_q && word.size() >= 12 && word.compare(word.size() - 2, 2, "?=") == 0, "malformed word");
    FUZZ_CHECK(word.size() <= mailer::kMaxEncodedWord, "encoded-word over 75");
    FUZZ_CHECK(!has_any_of(word, std::string_view(" \t\r\n\0", 5)), "whitespace or NUL inside a word");
    if (i == 0 && first_max >= 24 && first_max <= mailer::kMaxEncodedWord) {
      FUZZ_CHECK(word.size() <= first_max, "first word over its budget");
    }
  }
  FUZZ_CHECK(mailer::decode_encoded_words(join(words, " ")) == text, "encoded-words do not decode back");
}

// check_folded - the folded header is well formed and unfolds to the pieces.
void check_folded(std::string_view name, const std::vector<std::string>& pieces) {
  const std::string folded = mailer::fold_header(name, pieces);
  FUZZ_CHECK(tern::fuzz::lines_crlf_only(folded), "bare CR or LF in a folded header");
  FUZZ_CHECK(folded.size() >= 2 && folded.compare(folded.size() - 2, 2, "\r\n") == 0, "header without final CRLF");
  FUZZ_CHECK(tern::fuzz::longest_line(folded) <= mailer::kMaxLine, "header line over 998");
  std::size_t start = 0;
  while (start < folded.size()) {
    const std::size_t end = folded.find("\r\n", start);
    const std::string_view line = std::string_view(folded).substr(start, end - start);
    FUZZ_CHECK(line.find_first_not_of(" \t") != std::string_view::npos, "whitespace-only header line");
    FUZZ_CHECK(start == 0 || is_wsp(line.front()), "continuation line without leading whitespace");
    start = end + 2;
  }
  std::string unfolded;
  for (std::size_t i = 0; i + 2 < folded.size(); ++i) {
    if (folded.compare(i, 2, "\r\n") == 0) ++i;
    else unfolded += folded[i];
  }
  std::string expected = std::string(name) + ":";
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    expected += (i > 0 && is_wsp(pieces[i].front()) ? "" : " ") + pieces[i];
  }
  if (pieces.empty()) expected += " ";
  FUZZ_CHECK(unfolded == expected, "unfolding does not give back the pieces");
}

void check_pieces(const std::vector<std::string>& pieces) {
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    FUZZ_CHECK(!pieces[i].empty(), "empty piece");
    FUZZ_CHECK(!has_any_of(pieces[i], kCrLfNul), "CR, LF or NUL in a piece");
    FUZZ_CHECK(i == 0 || is_wsp(pieces[i].front()), "later piece without leading whitespace");
  }
}

// unquote - the inside of one RFC 5322 quoted-string.
std::string unquote(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\') ++i;
    out += quoted[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::size_t budget = data[0] % 96;
  const std::string_view text = tern::fuzz::as_view(data + 1, size - 1);

  const std::string clean = mailer::sanitize_header_text(text);
  FUZZ_CHECK(clean.size() == text.size() && !has_any_of(clean, kCrLfNul), "sanitize left CR, LF or NUL");

  check_words(text, budget);

  const auto subject = mailer::unstructured_pieces(text, mailer::first_line_budget("Subject"));
  check_pieces(subject);
  FUZZ_CHECK(mailer::decode_encoded_words(join(subject)) == clean, "Subject pieces do not read back");
  check_folded("Subject", subject);
  check_folded("X-Long-Header-Name-For-Fuzzing", mailer::unstructured_pieces(text, budget));

  const auto phrase = mailer::phrase_pieces(text, budget);
  check_pieces(phrase);
  const std::string joined = join(phrase);
  const std::string read_back = joined.rfind('"', 0) == 0 ? unquote(joined) : mailer::decode_encoded_words(joined);
  FUZZ_CHECK(read_back == clean, "display-name pieces do not read back");
  check_folded("From", phrase);

  (void)mailer::decode_encoded_words(text);
  return 0;
}
