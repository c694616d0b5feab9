// header_folding.hpp - lay header pieces out as folded RFC 5322 lines.
//
// fold_header promises: the result is "Name: value" ending in CRLF; a fold
// (CRLF) is only ever inserted before a piece that starts with whitespace,
// so unfolding gives back the pieces concatenated; lines are kept to 78
// characters where the pieces allow it, and since no piece from
// header_encoding.hpp exceeds 900 characters and names are at most 76, no
// line exceeds 998. No line consists only of whitespace.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mailer/address.hpp"

namespace tern::mailer {

inline constexpr std::size_t kFoldWidth = 78;   // RFC 5322 §2.1.1 SHOULD
inline constexpr std::size_t kMaxLine = 998;    // RFC 5322 §2.1.1 MUST

// first_line_budget - room left for a value after "Name: ".
std::size_t first_line_budget(std::string_view name);

// fold_header - "Name: " + pieces, folded; an empty list gives "Name: \r\n".
// A later piece without leading whitespace gets a single space.
std::string fold_header(std::string_view name, const std::vector<std::string>& pieces);

// mailbox_list_pieces - "Name <a@b>, c@d" as pieces: display names through
// phrase_pieces, bare addresses when there is no name, IDN domains as
// A-labels (idna.hpp).
std::vector<std::string> mailbox_list_pieces(const std::vector<Mailbox>& mailboxes, std::size_t first_budget);

}  // namespace tern::mailer
