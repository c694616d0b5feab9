#include "mailer/header_folding.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "mailer/header_encoding.hpp"
#include "tests/mailer/mail_parse.hpp"

namespace tern::mailer {
namespace {

std::vector<std::string> lines_of(const std::string& header) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < header.size()) {
    const std::size_t end = header.find("\r\n", pos);
    lines.push_back(header.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

std::string unfold(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\r\n") == 0 && i + 2 < text.size()) {
      ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

void expect_folded_well(const std::string& header) {
  EXPECT_EQ(testing::wire_problem(header), "") << header;
  for (const auto& line : lines_of(header)) {
    EXPECT_LE(line.size(), kFoldWidth) << line;
    EXPECT_NE(line.find_first_not_of(" \t"), std::string::npos) << "whitespace-only line in\n" << header;
  }
}

TEST(FoldHeader, ShortHeaderIsOneLine) {
  EXPECT_EQ(fold_header("Subject", {"Hello", " world"}), "Subject: Hello world\r\n");
}

TEST(FoldHeader, EmptyValue) { EXPECT_EQ(fold_header("Subject", {}), "Subject: \r\n"); }

TEST(FoldHeader, FoldsBeforeWhitespaceOnly) {
  std::vector<std::string> pieces{"word"};
  for (int i = 0; i < 40; ++i) pieces.push_back(" word" + std::to_string(i));
  const std::string header = fold_header("Subject", pieces);
  expect_folded_well(header);
  EXPECT_GT(lines_of(header).size(), 3u);
  std::string joined;
  for (const auto& p : pieces) joined += p;
  EXPECT_EQ(unfold(header), "Subject: " + joined + "\r\n");
}

TEST(FoldHeader, PieceWithoutLeadingSpaceGetsOne) {
  EXPECT_EQ(fold_header("X-A", {"a", "b"}), "X-A: a b\r\n");
}

TEST(FoldHeader, FirstPieceTooWideForNameLineStartsOnContinuation) {
  const std::string word = "=?UTF-8?B?" + std::string(60, 'A') + "?=";  // 72 characters
  const std::string header = fold_header("Subject", {word});
  EXPECT_EQ(header, "Subject:\r\n " + word + "\r\n");
  expect_folded_well(header);
}

TEST(FoldHeader, OverlongPieceStaysWholeButUnder998) {
  const std::string token(900, 'x');
  const std::string header = fold_header(std::string(76, 'N'), {"a", " " + token});
  EXPECT_EQ(testing::wire_problem(header), "");
  EXPECT_EQ(unfold(header), std::string(76, 'N') + ": a " + token + "\r\n");
}

TEST(MailboxListPieces, BareAndNamedMailboxes) {
  std::vector<Mailbox> list{{"", "a@example.com"}, {"Bob Smith", "bob@example.com"}, {"Doe, Jane", "jane@example.com"}};
  // Exactly 78 characters: fits without a fold.
  EXPECT_EQ(fold_header("To", mailbox_list_pieces(list, first_line_budget("To"))),
            "To: a@example.com, Bob Smith <bob@example.com>, \"Doe, Jane\" <jane@example.com>\r\n");
  // One more character folds before the angle address, never inside it.
  list[2].address = "janet@example.com";
  EXPECT_EQ(fold_header("To", mailbox_list_pieces(list, first_line_budget("To"))),
            "To: a@example.com, Bob Smith <bob@example.com>, \"Doe, Jane\"\r\n <janet@example.com>\r\n");
}

TEST(MailboxListPieces, LongListFoldsBetweenMailboxes) {
  std::vector<Mailbox> list;
  for (int i = 0; i < 30; ++i) list.push_back({"User " + std::to_string(i), "user" + std::to_string(i) + "@example.com"});
  const std::string header = fold_header("Cc", mailbox_list_pieces(list, first_line_budget("Cc")));
  expect_folded_well(header);
  const std::string value = unfold(header);
  EXPECT_NE(value.find("User 0 <user0@example.com>, User 1 <user1@example.com>,"), std::string::npos);
  EXPECT_NE(value.find(", User 29 <user29@example.com>\r\n"), std::string::npos);
}

TEST(MailboxListPieces, NonAsciiNamesAreEncodedAndFolded) {
  std::vector<Mailbox> list;
  std::mt19937 rng(5322);
  for (int i = 0; i < 8; ++i) {
    std::string name;
    for (int j = 0; j < 10 + static_cast<int>(rng() % 30); ++j) name += (j % 3 ? "\xE5\xB1\xB1" : "\xF0\x9F\x98\x80");
    list.push_back({name, "u" + std::to_string(i) + "@example.jp"});
  }
  const std::string header = fold_header("To", mailbox_list_pieces(list, first_line_budget("To")));
  expect_folded_well(header);
  const std::string decoded = decode_encoded_words(unfold(header));
  EXPECT_NE(decoded.find(list[3].display_name + " <u3@example.jp>,"), std::string::npos) << decoded;
}

TEST(FirstLineBudget, Values) {
  EXPECT_EQ(first_line_budget("Subject"), 69u);
  EXPECT_EQ(first_line_budget(std::string(76, 'x')), 0u);
}

}  // namespace
}  // namespace tern::mailer
