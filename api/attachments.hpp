// attachments.hpp - the `attachments` field of POST /emails, validated
// (resend-api.md §5.1). Pure.
//
// Each attachment is an object with:
//   content       base64 text (as the Node and Go SDKs send; ASCII
//                 whitespace ignored) or an array of byte values 0..255 (as
//                 the Python and Ruby SDKs send);
//   filename      optional; no control characters; at most 255 bytes;
//   content_type  optional; guessed from the filename's extension when
//                 absent (guess_content_type); must be a valid MIME type;
//   content_id    optional; makes the attachment inline (cid:); fewer than
//                 128 characters of atext ("<id>" is accepted and unwrapped);
//   path          a remote URL: refused for now (see kRemotePathRefusal).
// null and false count as absent. Errors are 422 invalid_attachment: no
// content and no path ("Attachment must have either a `content` or
// `path`."), more than kMaxAttachments, or more than kMaxAttachmentBytes
// in total after decoding - checked from the encoded length before
// anything is decoded, so an oversized attachment is never expanded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/errors.hpp"
#include "store/redis/email_record.hpp"

namespace tern::api {

inline constexpr std::size_t kMaxAttachments = 100;
inline constexpr std::size_t kMaxAttachmentBytes = 40 * 1024 * 1024;  // all of an email's, decoded
inline constexpr std::size_t kMaxFilenameBytes = 255;

// read_attachments - the field of a send request object (absent -> none).
ApiResult<std::vector<store::Attachment>> read_attachments(const nlohmann::ordered_json& object);

// guess_content_type - by the extension, case-insensitively; unknown ->
// "application/octet-stream".
std::string guess_content_type(std::string_view filename);

}  // namespace tern::api
