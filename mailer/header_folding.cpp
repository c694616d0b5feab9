// header_folding.cpp - see header_folding.hpp.
#include "mailer/header_folding.hpp"

#include "mailer/header_encoding.hpp"
#include "mailer/idna.hpp"

namespace tern::mailer {
namespace {

bool starts_with_wsp(std::string_view s) { return !s.empty() && (s.front() == ' ' || s.front() == '\t'); }

std::vector<std::string> mailbox_pieces(const Mailbox& mailbox, std::size_t first_budget) {
  std::vector<std::string> pieces = phrase_pieces(mailbox.display_name, first_budget);
  const std::string address = address_to_ascii(sanitize_header_text(mailbox.address));
  if (pieces.empty()) {
    pieces.push_back(address);
  } else {
    pieces.push_back(" <" + address + ">");
  }
  return pieces;
}

}  // namespace

std::size_t first_line_budget(std::string_view name) {
  const std::size_t used = name.size() + 2;  // "Name: "
  return used >= kFoldWidth ? 0 : kFoldWidth - used;
}

std::string fold_header(std::string_view name, const std::vector<std::string>& pieces) {
  std::string out(name);
  out += ':';
  if (pieces.empty()) return out + " \r\n";
  std::size_t line = out.size();
  const std::string& first = pieces.front();
  // When the first piece cannot share the name's line but fits on a line of
  // its own, start the value on a continuation line (legal FWS after ':'),
  // unless the piece is only whitespace: that line would look blank.
  if (line + 1 + first.size() > kFoldWidth && 1 + first.size() <= kFoldWidth &&
      first.find_first_not_of(" \t") != std::string::npos) {
    out += "\r\n";
    line = 0;
  }
  out += ' ';
  out += first;
  line += 1 + first.size();
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    std::string_view piece = pieces[i];
    const std::size_t width = piece.size() + (starts_with_wsp(piece) ? 0 : 1);
    if (line + width > kFoldWidth) {
      out += "\r\n";
      line = 0;
    }
    if (!starts_with_wsp(piece)) out += ' ';
    out += piece;
    line += width;
  }
  out += "\r\n";
  return out;
}

std::vector<std::string> mailbox_list_pieces(const std::vector<Mailbox>& mailboxes, std::size_t first_budget) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < mailboxes.size(); ++i) {
    std::vector<std::string> one = mailbox_pieces(mailboxes[i], i == 0 ? first_budget : kMaxEncodedWord);
    if (i > 0 && !starts_with_wsp(one.front())) one.front().insert(0, 1, ' ');
    if (i + 1 < mailboxes.size()) one.back() += ',';
    for (auto& piece : one) pieces.push_back(std::move(piece));
  }
  return pieces;
}

}  // namespace tern::mailer
