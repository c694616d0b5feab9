// dot_stuff.hpp - message bytes to the DATA payload (RFC 5321 §4.5.2).
//
// normalize_line_endings turns every bare CR, bare LF and CRLF into CRLF, so
// no bare CR or LF ever leaves the process (no <LF>.<CR><LF> smuggling,
// CVE-2023-51764 and kin).
//
// dot_stuff normalises the same way, doubles a '.' at the start of every
// line, ends the last line with CRLF if it lacks one, and appends the
// end-of-data line ".\r\n". The result therefore contains "\r\n.\r\n" exactly
// once, at its end (for an empty message the DATA command's own CRLF
// precedes the lone ".\r\n").
//
// Pure: no I/O. Never fails.
#pragma once

#include <string>
#include <string_view>

namespace tern::smtp {

std::string normalize_line_endings(std::string_view bytes);
std::string dot_stuff(std::string_view message);

}  // namespace tern::smtp
