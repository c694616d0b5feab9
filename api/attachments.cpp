// attachments.cpp - one reader per attachment field, then the list rules.
#include "api/attachments.hpp"

#include <array>
#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

#include "mailer/message.hpp"
#include "store/util/encoding.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

// Remote fetching needs an HTTP client with the private-address guard the
// webhooks use, a size cap while streaming and a timeout, in the API
// process; until that exists the request is refused, never half-served.
const char* const kRemotePathRefusal =
    "Attachments with a remote `path` are not supported yet: Tern does not fetch URLs. Download the file "
    "yourself and send its bytes as base64 in `content`.";

std::string position(std::size_t index) { return "attachment " + std::to_string(index + 1); }

// present - the field, or nullptr when absent, null or false.
const Json* present(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null() || (it->is_boolean() && !it->get<bool>())) return nullptr;
  return &*it;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// decoded_size_bound - the most bytes `length` base64 characters can hold.
std::size_t decoded_size_bound(std::size_t length) { return (length + 3) / 4 * 3; }

ApiResult<std::string> read_base64(const std::string& text, std::size_t index, std::size_t budget) {
  std::size_t significant = 0;
  for (char c : text)
    if (!is_space(c)) ++significant;
  if (decoded_size_bound(significant) > budget + 2)  // +2: padding can make the bound overshoot
    return reject(invalid_attachment("Attachments may hold at most 40 MB in total after decoding."));
  std::string compact;
  compact.reserve(significant);
  for (char c : text)
    if (!is_space(c)) compact += c;
  auto bytes = base64_decode(compact);
  if (!bytes) return reject(invalid_attachment("The `content` of " + position(index) + " is not valid base64."));
  if (bytes->size() > budget)
    return reject(invalid_attachment("Attachments may hold at most 40 MB in total after decoding."));
  return std::move(*bytes);
}

ApiResult<std::string> read_byte_array(const Json& array, std::size_t index, std::size_t budget) {
  if (array.size() > budget)
    return reject(invalid_attachment("Attachments may hold at most 40 MB in total after decoding."));
  std::string bytes;
  bytes.reserve(array.size());
  for (const auto& item : array) {
    if (!item.is_number_integer() || item.get<long long>() < 0 || item.get<long long>() > 255)
      return reject(invalid_attachment("The `content` of " + position(index) +
                                       " must be a base64 string or an array of byte values (0-255)."));
    bytes += static_cast<char>(item.get<int>());
  }
  return bytes;
}

ApiResult<std::string> read_content(const Json& content, std::size_t index, std::size_t budget) {
  if (content.is_string()) return read_base64(content.get_ref<const std::string&>(), index, budget);
  if (content.is_array()) return read_byte_array(content, index, budget);
  return reject(invalid_attachment("The `content` of " + position(index) +
                                   " must be a base64 string or an array of byte values (0-255)."));
}

ApiResult<std::string> read_text(const Json& item, const char* field, std::size_t index) {
  const Json* value = present(item, field);
  if (!value) return std::string();
  if (!value->is_string())
    return reject(invalid_attachment("The `" + std::string(field) + "` of " + position(index) + " must be a string."));
  return value->get<std::string>();
}

ApiResult<void> check_filename(const std::string& filename, std::size_t index) {
  if (filename.size() > kMaxFilenameBytes)
    return reject(invalid_attachment("The `filename` of " + position(index) + " must be at most 255 bytes."));
  for (char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F)
      return reject(invalid_attachment("The `filename` of " + position(index) + " must not contain control characters."));
  }
  return {};
}

// read_descriptors - filename, content_type (checked or guessed), content_id.
ApiResult<void> read_descriptors(const Json& item, std::size_t index, store::Attachment& out) {
  auto filename = read_text(item, "filename", index);
  if (!filename) return reject(filename.error());
  if (auto ok = check_filename(*filename, index); !ok) return reject(ok.error());
  auto type = read_text(item, "content_type", index);
  if (!type) return reject(type.error());
  if (type->empty()) *type = guess_content_type(*filename);
  if (!mailer::is_valid_content_type(*type))
    return reject(invalid_attachment("The `content_type` of " + position(index) +
                                     " must be a MIME type such as `application/pdf`."));
  auto id = read_text(item, "content_id", index);
  if (!id) return reject(id.error());
  if (id->size() >= 2 && id->front() == '<' && id->back() == '>') *id = id->substr(1, id->size() - 2);
  if (!id->empty() && !mailer::is_valid_content_id(*id))
    return reject(invalid_attachment("The `content_id` of " + position(index) +
                                     " must be fewer than 128 letters, digits or !#$%&'*+-/=?^_`{|}~.@ characters."));
  out.filename = std::move(*filename);
  out.content_type = std::move(*type);
  out.content_id = std::move(*id);
  return {};
}

ApiResult<store::Attachment> read_attachment(const Json& item, std::size_t index, std::size_t budget) {
  if (!item.is_object()) return reject(invalid_attachment("Each attachment must be an object."));
  const Json* content = present(item, "content");
  const Json* path = present(item, "path");
  if (!content && !path) return reject(invalid_attachment("Attachment must have either a `content` or `path`."));
  if (content && path)
    return reject(invalid_attachment("Attachment must have either a `content` or `path`, not both (" +
                                     position(index) + ")."));
  if (path) return reject(invalid_attachment(kRemotePathRefusal));
  store::Attachment out;
  if (auto ok = read_descriptors(item, index, out); !ok) return reject(ok.error());
  auto bytes = read_content(*content, index, budget);
  if (!bytes) return reject(bytes.error());
  out.content = std::move(*bytes);
  return out;
}

}  // namespace

ApiResult<std::vector<store::Attachment>> read_attachments(const Json& object) {
  std::vector<store::Attachment> out;
  const Json* list = present(object, "attachments");
  if (!list) return out;
  if (!list->is_array()) return reject(invalid_attachment("The `attachments` field must be an array."));
  if (list->size() > kMaxAttachments)
    return reject(invalid_attachment("An email may have at most " + std::to_string(kMaxAttachments) +
                                     " attachments."));
  std::size_t budget = kMaxAttachmentBytes;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto attachment = read_attachment((*list)[i], i, budget);
    if (!attachment) return reject(attachment.error());
    budget -= attachment->content.size();
    out.push_back(std::move(*attachment));
  }
  return out;
}

std::string guess_content_type(std::string_view filename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 32> kTypes = {{
      {"pdf", "application/pdf"},      {"png", "image/png"},
      {"jpg", "image/jpeg"},           {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},            {"webp", "image/webp"},
      {"svg", "image/svg+xml"},        {"bmp", "image/bmp"},
      {"ico", "image/vnd.microsoft.icon"}, {"txt", "text/plain"},
      {"csv", "text/csv"},             {"htm", "text/html"},
      {"html", "text/html"},           {"json", "application/json"},
      {"xml", "application/xml"},      {"zip", "application/zip"},
      {"gz", "application/gzip"},      {"ics", "text/calendar"},
      {"vcf", "text/vcard"},           {"eml", "message/rfc822"},
      {"md", "text/markdown"},         {"rtf", "application/rtf"},
      {"doc", "application/msword"},   {"xls", "application/vnd.ms-excel"},
      {"ppt", "application/vnd.ms-powerpoint"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"mp3", "audio/mpeg"},           {"mp4", "video/mp4"},
      {"wav", "audio/wav"},
  }};
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == filename.size()) return "application/octet-stream";
  std::string ext(filename.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [known, type] : kTypes)
    if (known == ext) return std::string(type);
  return "application/octet-stream";
}

}  // namespace tern::api
