#include "mailer/header_encoding.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "mailer/utf8.hpp"

namespace tern::mailer {
namespace {

std::string join(const std::vector<std::string>& pieces) {
  std::string out;
  for (const auto& p : pieces) out += p;
  return out;
}

const std::string kEmoji = "\xF0\x9F\x98\x80";     // 😀
const std::string kCjk = "\xE4\xB8\xAD\xE6\x96\x87";  // 中文
const std::string kCombining = "e\xCC\x81";          // e + U+0301

// payload_bytes - the raw bytes an encoded-word carries.
std::string payload_bytes(const std::string& word) { return decode_encoded_words(word); }

void expect_well_formed_words(const std::vector<std::string>& words, std::size_t first_max = kMaxEncodedWord) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    EXPECT_LE(w.size(), i == 0 ? first_max : kMaxEncodedWord) << w;
    EXPECT_TRUE(w.rfind("=?UTF-8?B?", 0) == 0 || w.rfind("=?UTF-8?Q?", 0) == 0) << w;
    EXPECT_EQ(w.substr(w.size() - 2), "?=");
    EXPECT_EQ(w.find_first_of(" \t\r\n"), std::string::npos) << w;
    EXPECT_TRUE(is_valid_utf8(payload_bytes(w))) << "word splits a character: " << w;
  }
}

TEST(SanitizeHeaderText, ControlLineBreaksBecomeSpaces) {
  EXPECT_EQ(sanitize_header_text(std::string("a\r\nBcc: x\0y", 11)), "a  Bcc: x y");
}

TEST(EncodeWords, AsciiWithAccentsUsesQ) {
  auto words = encode_words("Caf\xC3\xA9 ouvert");
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], "=?UTF-8?Q?Caf=C3=A9_ouvert?=");
}

TEST(EncodeWords, CjkUsesB) {
  auto words = encode_words(kCjk);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], "=?UTF-8?B?5Lit5paH?=");
}

TEST(EncodeWords, EmptyTextGivesNoWords) { EXPECT_TRUE(encode_words("").empty()); }

TEST(EncodeWords, QEscapesEverythingOutsideThePhraseSafeSet) {
  for (char special : std::string("=?_\"(),.:;<>@[\\]\t")) {
    const std::string text = std::string(30, 'a') + special + "\xC3\xA9";
    auto words = encode_words(text);
    ASSERT_EQ(words.size(), 1u);
    ASSERT_EQ(words[0].rfind("=?UTF-8?Q?", 0), 0u) << words[0];
    const std::string inner = words[0].substr(10, words[0].size() - 12);
    EXPECT_EQ(inner.find_first_of("?_\"(),.:;<>@[\\]\t "), std::string::npos) << inner;
    EXPECT_EQ(decode_encoded_words(words[0]), text);
  }
}

TEST(EncodeWords, SpaceIsUnderscoreInQ) {
  auto words = encode_words("abc def \xC3\xA9");
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], "=?UTF-8?Q?abc_def_=C3=A9?=");
}

TEST(EncodeWords, LongEmojiTextSplitsOnCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += kEmoji;
  auto words = encode_words(text);
  EXPECT_GT(words.size(), 1u);
  expect_well_formed_words(words);
  EXPECT_EQ(decode_encoded_words(join(std::vector<std::string>(words))), text);
}

TEST(EncodeWords, FirstWordRespectsItsBudget) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += kCjk;
  auto words = encode_words(text, 40);
  ASSERT_GT(words.size(), 1u);
  EXPECT_LE(words[0].size(), 40u);
  expect_well_formed_words(words, 40);
}

TEST(EncodeWords, TinyFirstBudgetFallsBackToFullWords) {
  auto words = encode_words(kEmoji + kEmoji, 5);
  ASSERT_FALSE(words.empty());
  EXPECT_LE(words[0].size(), kMaxEncodedWord);
  EXPECT_EQ(decode_encoded_words(words[0] + (words.size() > 1 ? " " + words[1] : "")), kEmoji + kEmoji);
}

TEST(EncodeWords, CombiningCharactersSurviveSplitting) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += kCombining;
  auto words = encode_words(text);
  expect_well_formed_words(words);
  std::string spaced;
  for (const auto& w : words) spaced += (spaced.empty() ? "" : " ") + w;
  EXPECT_EQ(decode_encoded_words(spaced), text);
}

TEST(EncodeWords, InvalidUtf8IsCarriedByteForByte) {
  const std::string text = "ok\xFF\xFE end";
  auto words = encode_words(text);
  EXPECT_EQ(decode_encoded_words(join(words)), text);
}

TEST(EncodeWords, RandomTextRoundTrips) {
  const std::vector<std::string> alphabet = {"a", "Z", " ", "_", "=", "?", "\xC3\xA9", kEmoji, kCjk, kCombining, "\t"};
  std::mt19937 rng(2047);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    const std::size_t first = 20 + rng() % 60;
    auto words = encode_words(text, first);
    expect_well_formed_words(words, std::max<std::size_t>(first, first < 24 ? kMaxEncodedWord : first));
    std::string spaced;
    for (const auto& w : words) spaced += (spaced.empty() ? "" : " ") + w;
    ASSERT_EQ(decode_encoded_words(spaced), text) << "round " << round;
  }
}

TEST(UnstructuredPieces, PlainAsciiStaysReadable) {
  auto pieces = unstructured_pieces("Your  order #42 shipped ", 69);
  EXPECT_EQ(join(pieces), "Your  order #42 shipped ");
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[1], "  order");
  EXPECT_EQ(pieces[3], " shipped ");
}

TEST(UnstructuredPieces, EmptyGivesNothing) { EXPECT_TRUE(unstructured_pieces("", 69).empty()); }

TEST(UnstructuredPieces, InjectionBecomesHarmlessText) {
  auto pieces = unstructured_pieces("Hello\r\nBcc: victim@example.com", 69);
  const std::string joined = join(pieces);
  EXPECT_EQ(joined.find_first_of("\r\n"), std::string::npos);
  EXPECT_EQ(joined, "Hello  Bcc: victim@example.com");
}

TEST(UnstructuredPieces, EncodedWordLookalikeIsEncoded) {
  auto pieces = unstructured_pieces("=?UTF-8?Q?=0A?=Bcc: x", 69);
  ASSERT_FALSE(pieces.empty());
  EXPECT_EQ(pieces[0].rfind("=?UTF-8?", 0), 0u);
  EXPECT_EQ(decode_encoded_words(join(pieces)), "=?UTF-8?Q?=0A?=Bcc: x");
}

TEST(UnstructuredPieces, NonAsciiIsEncodedAndRoundTrips) {
  const std::string subject = "R\xC3\xA9sum\xC3\xA9 " + kEmoji + " " + kCjk;
  auto pieces = unstructured_pieces(subject, 69);
  for (std::size_t i = 1; i < pieces.size(); ++i) EXPECT_EQ(pieces[i][0], ' ');
  EXPECT_EQ(decode_encoded_words(join(pieces)), subject);
}

TEST(UnstructuredPieces, UnicodeLineSeparatorsAreEncoded) {
  // U+2028 and U+0085 must never reach a header raw.
  auto pieces = unstructured_pieces("a\xE2\x80\xA8" "b\xC2\x85" "c", 69);
  EXPECT_EQ(join(pieces).find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(decode_encoded_words(join(pieces)), "a\xE2\x80\xA8" "b\xC2\x85" "c");
}

TEST(UnstructuredPieces, OverlongTokenIsEncodedSoItCanFold) {
  const std::string token(2000, 'x');
  auto pieces = unstructured_pieces(token, 69);
  ASSERT_GT(pieces.size(), 10u);
  for (const auto& p : pieces) EXPECT_LE(p.size(), kMaxEncodedWord + 1);
  EXPECT_EQ(decode_encoded_words(join(pieces)), token);
}

TEST(PhrasePieces, AtomsStayBare) {
  auto pieces = phrase_pieces("John Smith", 70);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0], "John");
  EXPECT_EQ(pieces[1], " Smith");
}

TEST(PhrasePieces, SpecialsAreQuoted) {
  EXPECT_EQ(phrase_pieces("Doe, John", 70), std::vector<std::string>{"\"Doe, John\""});
  EXPECT_EQ(phrase_pieces("John Q. Public", 70), std::vector<std::string>{"\"John Q. Public\""});
  EXPECT_EQ(phrase_pieces("Say \"hi\" \\o/", 70), std::vector<std::string>{R"("Say \"hi\" \\o/")"});
  EXPECT_EQ(phrase_pieces(" padded ", 70), std::vector<std::string>{"\" padded \""});
}

TEST(PhrasePieces, EmptyNameGivesNothing) { EXPECT_TRUE(phrase_pieces("", 70).empty()); }

TEST(PhrasePieces, NonAsciiIsEncoded) {
  auto pieces = phrase_pieces("J\xC3\xB6rg M\xC3\xBCller", 70);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?=");  // B is one character shorter than Q here
  EXPECT_EQ(decode_encoded_words(pieces[0]), "J\xC3\xB6rg M\xC3\xBCller");
}

TEST(PhrasePieces, LongQuotedNameIsEncodedInstead) {
  const std::string name = "Support, " + std::string(100, 'a') + " " + std::string(50, 'b');
  auto pieces = phrase_pieces(name, 70);
  ASSERT_GT(pieces.size(), 1u);
  for (const auto& p : pieces) EXPECT_LE(p.size(), kMaxEncodedWord + 1);
  EXPECT_EQ(decode_encoded_words(join(pieces)), name);
}

TEST(PhrasePieces, InjectionInNameIsNeutralised) {
  auto pieces = phrase_pieces("Evil\r\nBcc: x@y", 70);
  EXPECT_EQ(join(pieces).find_first_of("\r\n"), std::string::npos);
}

TEST(DecodeEncodedWords, KnownVectors) {
  // RFC 2047 §8 examples.
  EXPECT_EQ(decode_encoded_words("(=?ISO-8859-1?Q?a?=)"), "(a)");
  EXPECT_EQ(decode_encoded_words("(=?ISO-8859-1?Q?a?= b)"), "(a b)");
  EXPECT_EQ(decode_encoded_words("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)"), "(ab)");
  EXPECT_EQ(decode_encoded_words("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)"), "(ab)");
  EXPECT_EQ(decode_encoded_words("(=?ISO-8859-1?Q?a_b?=)"), "(a b)");
  EXPECT_EQ(decode_encoded_words("=?utf-8?b?5Lit5paH?="), kCjk);
}

TEST(DecodeEncodedWords, MalformedWordsStayLiteral) {
  EXPECT_EQ(decode_encoded_words("=?UTF-8?Q?=ZZ?="), "=?UTF-8?Q?=ZZ?=");
  EXPECT_EQ(decode_encoded_words("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
  EXPECT_EQ(decode_encoded_words("=?UTF-8?B?@@@@?="), "=?UTF-8?B?@@@@?=");
  EXPECT_EQ(decode_encoded_words("=?UTF-8?Q?abc"), "=?UTF-8?Q?abc");
  EXPECT_EQ(decode_encoded_words("=??Q?abc?="), "=??Q?abc?=");
  EXPECT_EQ(decode_encoded_words("=?UT F-8?Q?abc?="), "=?UT F-8?Q?abc?=");
  EXPECT_EQ(decode_encoded_words("plain  text "), "plain  text ");
}

TEST(DecodeEncodedWords, GarbageNeverCrashes) {
  const std::string pieces[] = {"=?", "?=", "?", "Q", "B", "UTF-8", "=", "_", "3D", "\r\n", " ", "YQ==", "\xFF"};
  std::mt19937 rng(2231);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int i = 0, n = static_cast<int>(rng() % 16); i < n; ++i) text += pieces[rng() % std::size(pieces)];
    const std::string decoded = decode_encoded_words(text);
    EXPECT_LE(decoded.size(), text.size()) << text;
  }
}

}  // namespace
}  // namespace tern::mailer
