// canonicalize.hpp - RFC 6376 §3.4 canonicalization, and the header-field
// split that it works on.
//
// Pure functions over CRLF text. Header results carry no trailing CRLF: the
// signer appends CRLF to every selected header but not to the
// DKIM-Signature field itself (§3.7). Body results are exactly the bytes
// that are hashed for bh=: relaxed gives "" for an empty body, simple gives
// "\r\n"; a missing final CRLF is added to a non-empty body.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/util/result.hpp"

namespace tern::dkim {

enum class Canon { simple, relaxed };

// HeaderField - one field as it appears: the name before the first ':', the
// raw value after it (folding CRLFs kept), the final CRLF not included.
struct HeaderField {
  std::string name;
  std::string value;
};

struct SplitMessage {
  std::vector<HeaderField> headers;  // top to bottom
  std::string_view body;             // after the empty line; empty if none
};

// split_message - header fields and body of a CRLF message. Errc::invalid_argument
// for a header line without ':', a continuation line before any field, or a
// bare CR or LF in the header section.
Result<SplitMessage> split_message(std::string_view message);

// parse_header_field - "Name: value\r\n folded\r\n" (final CRLF optional) → field.
Result<HeaderField> parse_header_field(std::string_view raw);

// canon_header_relaxed - "name:value": name lowercased, value unfolded, WSP
// runs collapsed to one SP, WSP stripped at both ends of the value and at
// the end of the name (§3.4.2).
std::string canon_header_relaxed(std::string_view name, std::string_view value);
// canon_header_simple - the field unchanged: "Name:value" (§3.4.1).
std::string canon_header_simple(std::string_view name, std::string_view value);
std::string canon_header(Canon canon, const HeaderField& field);

// canon_body_relaxed - WSP runs collapsed, WSP stripped at line ends,
// trailing empty lines removed (§3.4.4).
std::string canon_body_relaxed(std::string_view body);
// canon_body_simple - trailing empty lines removed; empty → "\r\n" (§3.4.3).
std::string canon_body_simple(std::string_view body);
std::string canon_body(Canon canon, std::string_view body);

// equals_ignore_case - ASCII case-insensitive comparison of header names.
bool equals_ignore_case(std::string_view a, std::string_view b);

}  // namespace tern::dkim
