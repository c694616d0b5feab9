// mime_parts.hpp - the MIME entities build_message nests: multipart
// containers and attachment parts (RFC 2045, 2046, 2183, 2231, 2392).
//
// Pure. Every entity returned is "headers CRLF CRLF body" and ends with
// CRLF, so entities can be concatenated after a boundary delimiter.
// Promises: no line longer than 998 octets (parameters are split into RFC
// 2231 continuations, bodies are base64 in 76-column lines); 7-bit output;
// CR, LF and other control characters from a filename, content type or
// content id never reach the output (filenames lose them, an invalid
// content type becomes application/octet-stream, an invalid content id
// makes the part a regular attachment).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mailer/message.hpp"

namespace tern::mailer {

// parameter_pieces - ` name="value"` (short printable ASCII) or the RFC
// 2231 form ` name*=utf-8''%E2%82%AC.pdf`, split into ` name*0*=utf-8''..`,
// ` name*1*=..`, ... when long. Each piece starts with a space (a fold
// point for fold_header); the caller puts the ';' separators between.
std::vector<std::string> parameter_pieces(std::string_view name, std::string_view value);

// attachment_entity - Content-Type (with name=), Content-Disposition
// (attachment or inline, with filename=), Content-ID for inline parts,
// Content-Transfer-Encoding: base64, then the content.
std::string attachment_entity(const Attachment& attachment);

// multipart_entity - "Content-Type: multipart/<subtype>; boundary=..." and
// each entity after its delimiter, then the close delimiter.
std::string multipart_entity(std::string_view subtype, std::string_view boundary,
                             const std::vector<std::string>& entities);

}  // namespace tern::mailer
