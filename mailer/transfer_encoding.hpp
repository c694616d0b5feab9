// transfer_encoding.hpp - body line endings and MIME transfer encodings.
//
// Promises: every function is pure and total (any bytes in, bytes out).
// encode_quoted_printable output is 7-bit, has CRLF line endings only, lines
// of at most 76 characters (RFC 2045 §6.7), no whitespace at the end of a
// line, and never a line that starts with "." or "From " (so neither SMTP
// dot-stuffing nor mbox "From " quoting can touch it); '=' appears only as
// "=XX" with upper-case hex or as a soft line break, so a MIME boundary that
// contains "=_" can never occur in it.
#pragma once

#include <string>
#include <string_view>

namespace tern::mailer {

inline constexpr std::size_t kMaxEncodedLine = 76;

// normalize_crlf - CRLF stays, a bare CR or bare LF becomes CRLF.
std::string normalize_crlf(std::string_view text);

// encode_quoted_printable - text (any line endings, normalised to CRLF as
// hard line breaks) as quoted-printable. No trailing CRLF is added.
std::string encode_quoted_printable(std::string_view text);

// decode_quoted_printable - the reverse; lenient: a malformed "=" escape is
// kept literally, whitespace at the end of an encoded line is dropped.
std::string decode_quoted_printable(std::string_view encoded);

// encode_base64_lines - RFC 2045 §6.8 base64 in CRLF-terminated lines of 76.
std::string encode_base64_lines(std::string_view bytes);

}  // namespace tern::mailer
