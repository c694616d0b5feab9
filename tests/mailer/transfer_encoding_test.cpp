#include "mailer/transfer_encoding.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "store/util/encoding.hpp"
#include "tests/mailer/mail_parse.hpp"

namespace tern::mailer {
namespace {

std::vector<std::string> split_crlf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = text.find("\r\n", pos);
    lines.push_back(text.substr(pos, end == std::string::npos ? end : end - pos));
    if (end == std::string::npos) break;
    pos = end + 2;
  }
  return lines;
}

// expect_qp_invariants - the promises of transfer_encoding.hpp.
void expect_qp_invariants(const std::string& encoded) {
  EXPECT_EQ(testing::wire_problem(encoded + "\r\n", kMaxEncodedLine), "") << encoded;
  for (const auto& line : split_crlf(encoded)) {
    EXPECT_LE(line.size(), kMaxEncodedLine);
    if (!line.empty()) {
      EXPECT_NE(line.back(), ' ') << line;
      EXPECT_NE(line.back(), '\t') << line;
      EXPECT_NE(line.front(), '.') << line;
    }
    EXPECT_NE(line.rfind("From ", 0), 0u) << line;
  }
  for (std::size_t i = encoded.find('='); i != std::string::npos; i = encoded.find('=', i + 1)) {
    const bool soft = encoded.compare(i + 1, 2, "\r\n") == 0 || i + 1 == encoded.size();
    const bool hex = i + 2 < encoded.size() && std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) &&
                     std::isxdigit(static_cast<unsigned char>(encoded[i + 2])) &&
                     !std::islower(static_cast<unsigned char>(encoded[i + 1])) &&
                     !std::islower(static_cast<unsigned char>(encoded[i + 2]));
    EXPECT_TRUE(soft || hex) << "stray '=' at " << i << " in " << encoded;
    EXPECT_NE(encoded.compare(i, 2, "=_"), 0);
  }
}

TEST(NormalizeCrlf, BareLfAndBareCrBecomeCrlf) {
  EXPECT_EQ(normalize_crlf("a\nb\rc\r\nd"), "a\r\nb\r\nc\r\nd");
  EXPECT_EQ(normalize_crlf("\r\r\n\n"), "\r\n\r\n\r\n");
  EXPECT_EQ(normalize_crlf("\n\r"), "\r\n\r\n");
  EXPECT_EQ(normalize_crlf(""), "");
  EXPECT_EQ(normalize_crlf("no breaks"), "no breaks");
}

TEST(QuotedPrintable, PlainAsciiIsUntouched) {
  EXPECT_EQ(encode_quoted_printable("Hello, world!\r\nSecond line."), "Hello, world!\r\nSecond line.");
}

TEST(QuotedPrintable, EqualsAndNonAscii) {
  EXPECT_EQ(encode_quoted_printable("a=b caf\xC3\xA9"), "a=3Db caf=C3=A9");
}

TEST(QuotedPrintable, TrailingWhitespaceIsEncoded) {
  EXPECT_EQ(encode_quoted_printable("end \nend\t\n  "), "end=20\r\nend=09\r\n =20");
}

TEST(QuotedPrintable, BareLineBreaksAreNormalised) {
  EXPECT_EQ(encode_quoted_printable("a\nb\rc"), "a\r\nb\r\nc");
}

TEST(QuotedPrintable, LeadingDotAndFromAreEscaped) {
  EXPECT_EQ(encode_quoted_printable(".\n..x\nFrom me\nFromage\n"), "=2E\r\n=2E.x\r\n=46rom me\r\nFromage\r\n");
  EXPECT_EQ(decode_quoted_printable("=2E\r\n=2E.x\r\n=46rom me\r\n"), ".\r\n..x\r\nFrom me\r\n");
}

TEST(QuotedPrintable, ControlBytesAreEscaped) {
  EXPECT_EQ(encode_quoted_printable(std::string("a\0b\x1b\x7f", 5)), "a=00b=1B=7F");
}

TEST(QuotedPrintable, LongLineGetsSoftBreaksAt76) {
  const std::string line(200, 'x');
  const std::string encoded = encode_quoted_printable(line);
  const auto lines = split_crlf(encoded);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], std::string(75, 'x') + "=");
  EXPECT_EQ(lines[1], std::string(75, 'x') + "=");
  EXPECT_EQ(lines[2], std::string(50, 'x'));
  EXPECT_EQ(decode_quoted_printable(encoded), line);
}

TEST(QuotedPrintable, ExactlySeventySixCharactersNeedNoSoftBreak) {
  EXPECT_EQ(encode_quoted_printable(std::string(76, 'y')), std::string(76, 'y'));
  EXPECT_EQ(encode_quoted_printable(std::string(77, 'y')), std::string(75, 'y') + "=\r\nyy");
}

TEST(QuotedPrintable, EscapesAreNeverSplit) {
  std::string line;
  for (int i = 0; i < 100; ++i) line += "\xC3\xA9";
  const std::string encoded = encode_quoted_printable(line);
  expect_qp_invariants(encoded);
  EXPECT_EQ(decode_quoted_printable(encoded), line);
}

TEST(QuotedPrintable, SoftBreakBeforeDotEscapesTheDot) {
  const std::string line = std::string(75, 'a') + ".b";
  const std::string encoded = encode_quoted_printable(line);
  EXPECT_EQ(encoded, std::string(75, 'a') + "=\r\n=2Eb");
  EXPECT_EQ(decode_quoted_printable(encoded), line);
}

TEST(QuotedPrintable, LineOver998OctetsIsBrokenUp) {
  const std::string line(5000, 'z');
  const std::string encoded = encode_quoted_printable(line + "\n" + line);
  expect_qp_invariants(encoded);
  EXPECT_EQ(decode_quoted_printable(encoded), line + "\r\n" + line);
}

TEST(QuotedPrintable, EmptyInputAndEmptyLines) {
  EXPECT_EQ(encode_quoted_printable(""), "");
  EXPECT_EQ(encode_quoted_printable("\n\n"), "\r\n\r\n");
}

TEST(QuotedPrintable, RandomInputsKeepInvariantsAndRoundTrip) {
  const std::vector<std::string> alphabet = {"a", "b", " ", "\t", "\r", "\n", "\r\n", ".", "From ", "=",
                                             "=_", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xFF", std::string(1, '\0'),
                                             std::string(90, 'w'), "  \n"};
  std::mt19937 rng(2045);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 80);
    for (int i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    const std::string encoded = encode_quoted_printable(text);
    expect_qp_invariants(encoded);
    ASSERT_EQ(decode_quoted_printable(encoded), normalize_crlf(text)) << "round " << round;
  }
}

TEST(DecodeQuotedPrintable, LenientOnMalformedInput) {
  EXPECT_EQ(decode_quoted_printable("a=ZZb"), "a=ZZb");
  EXPECT_EQ(decode_quoted_printable("a=4"), "a=4");
  EXPECT_EQ(decode_quoted_printable("soft=  \r\nbreak"), "softbreak");
  EXPECT_EQ(decode_quoted_printable("lower=c3=a9"), "lower\xC3\xA9");
  EXPECT_EQ(decode_quoted_printable("lf\nonly"), "lf\r\nonly");
}

TEST(Base64Lines, SeventySixCharacterLines) {
  const std::string bytes(200, '\x01');
  const std::string encoded = encode_base64_lines(bytes);
  const auto lines = split_crlf(encoded);
  ASSERT_EQ(lines.size(), 5u);  // 268 characters: 76 + 76 + 76 + 40, then the empty tail
  EXPECT_EQ(lines[0].size(), 76u);
  EXPECT_EQ(lines[3].size(), 40u);
  EXPECT_EQ(lines[4], "");
  std::string flat;
  for (const auto& l : lines) flat += l;
  EXPECT_EQ(base64_decode(flat), bytes);
}

TEST(Base64Lines, EmptyAndExactMultiple) {
  EXPECT_EQ(encode_base64_lines(""), "");
  EXPECT_EQ(encode_base64_lines(std::string(57, 'a')), std::string(base64_encode(std::string(57, 'a'))) + "\r\n");
}

TEST(DecodeQuotedPrintable, GarbageNeverCrashes) {
  const std::string pieces[] = {"=", "=\r\n", "\r", "\n", " ", "\t", "A", "f", "=4", "\xFF"};
  std::mt19937 rng(2046);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int i = 0, n = static_cast<int>(rng() % 20); i < n; ++i) text += pieces[rng() % std::size(pieces)];
    const std::string decoded = decode_quoted_printable(text);
    EXPECT_LE(decoded.size(), text.size() + text.size()) << text;
  }
}

}  // namespace
}  // namespace tern::mailer
