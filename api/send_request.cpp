// send_request.cpp - field-by-field validation of a send request.
//
// Each field has one small reader that returns the typed value or the
// ApiError to answer; validate_send_request() calls them in the order the
// errors should be reported (to, from, subject, bodies, the rest).
#include "api/send_request.hpp"

#include <nlohmann/json.hpp>

#include "api/attachments.hpp"
#include "api/json_body.hpp"
#include "mailer/address.hpp"
#include "mailer/message.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

const char* const kAddressFormat =
    " The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";

// present - the field's value, or nullptr when absent or null.
const Json* present(const Json& object, std::string_view name) {
  auto it = object.find(std::string(name));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

bool has_line_break_or_nul(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// printable - a client-supplied name safe to quote in a message: control
// bytes shown as \xNN, at most 64 bytes.
std::string printable(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : text.substr(0, 64)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  if (text.size() > 64) out += "...";
  return out;
}

ApiError not_a(std::string_view field, std::string_view expected, const Json& value) {
  return validation_error("The `" + std::string(field) + "` field must be " + std::string(expected) + ", not " +
                          json_type_name(value) + ".");
}

ApiError injection(std::string_view field) {
  return validation_error("The `" + std::string(field) + "` field must not contain CR, LF or NUL characters.");
}

// read_mailbox - one address of field `field`; `from` has its own error name.
ApiResult<mailer::Mailbox> read_mailbox(std::string_view field, std::string_view text) {
  if (has_line_break_or_nul(text)) return reject(injection(field));
  auto mailbox = mailer::parse_mailbox(text);
  if (mailbox) return *mailbox;
  if (field == "from") return reject(invalid_from_address());
  return reject(validation_error("Invalid `" + std::string(field) + "` field." + kAddressFormat));
}

// read_address_list - string | string[] | null. A required field that is
// absent, null, "" or [] is missing_required_field.
ApiResult<std::vector<std::string>> read_address_list(const Json& object, std::string_view field, bool required) {
  std::vector<std::string> out;
  const Json* value = present(object, field);
  if (value && value->is_string()) {
    if (!value->get_ref<const std::string&>().empty()) out.push_back(value->get<std::string>());
  } else if (value && value->is_array()) {
    if (value->size() > kMaxRecipients)
      return reject(validation_error("The `" + std::string(field) + "` field may hold at most " +
                                     std::to_string(kMaxRecipients) + " addresses."));
    for (const auto& item : *value) {
      if (!item.is_string()) return reject(not_a(field, "a string or an array of strings", item));
      out.push_back(item.get<std::string>());
    }
  } else if (value) {
    return reject(not_a(field, "a string or an array of strings", *value));
  }
  if (out.empty() && required) return reject(missing_required_field(field));
  for (const auto& address : out) {
    auto ok = read_mailbox(field, address);
    if (!ok) return reject(ok.error());
  }
  return out;
}

ApiResult<std::string> read_subject(const Json& object) {
  const Json* value = present(object, "subject");
  if (!value) return reject(missing_required_field("subject"));
  if (!value->is_string()) return reject(not_a("subject", "a string", *value));
  const auto& subject = value->get_ref<const std::string&>();
  if (has_line_break_or_nul(subject)) return reject(injection("subject"));
  if (subject.size() > kMaxSubjectBytes)
    return reject(validation_error("The `subject` field must be at most " + std::to_string(kMaxSubjectBytes) +
                                   " bytes long."));
  return subject;
}

// read_body - html or text: string or absent; NUL is refused (RFC 5322 §2.3).
ApiResult<std::optional<std::string>> read_body(const Json& object, std::string_view field) {
  const Json* value = present(object, field);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return reject(not_a(field, "a string", *value));
  const auto& body = value->get_ref<const std::string&>();
  if (body.size() > kMaxBodyBytes)
    return reject(validation_error("The `" + std::string(field) + "` field must be at most " +
                                   std::to_string(kMaxBodyBytes / (1024 * 1024)) + " MB."));
  if (body.find('\0') != std::string::npos)
    return reject(validation_error("The `" + std::string(field) + "` field must not contain NUL characters."));
  return std::optional<std::string>(body);
}

ApiResult<std::vector<std::pair<std::string, std::string>>> read_headers(const Json& object) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json* value = present(object, "headers");
  if (!value) return out;
  if (!value->is_object()) return reject(not_a("headers", "an object of strings", *value));
  if (value->size() > kMaxCustomHeaders)
    return reject(validation_error("The `headers` field may hold at most " + std::to_string(kMaxCustomHeaders) +
                                   " headers."));
  for (const auto& [name, header_value] : value->items()) {
    const std::string shown = printable(name);
    if (!header_value.is_string())
      return reject(validation_error("The value of header `" + shown + "` must be a string, not " +
                                     json_type_name(header_value) + "."));
    const auto& text = header_value.get_ref<const std::string&>();
    if (has_line_break_or_nul(name) || has_line_break_or_nul(text))
      return reject(validation_error("The header `" + shown + "` must not contain CR, LF or NUL characters."));
    auto ok = mailer::validate_custom_header(name, text);
    if (!ok) return reject(validation_error("Invalid header `" + shown + "`: " + ok.error().message));
    out.emplace_back(name, text);
  }
  return out;
}

bool is_tag_text(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-';
    if (!ok) return false;
  }
  return true;
}

ApiResult<std::vector<store::Tag>> read_tags(const Json& object) {
  std::vector<store::Tag> out;
  const Json* value = present(object, "tags");
  if (!value) return out;
  if (!value->is_array()) return reject(not_a("tags", "an array of {name, value} objects", *value));
  if (value->size() > kMaxTags)
    return reject(validation_error("An email may have at most " + std::to_string(kMaxTags) + " tags."));
  for (const auto& tag : *value) {
    if (!tag.is_object()) return reject(not_a("tags", "an array of {name, value} objects", tag));
    const Json* name = present(tag, "name");
    const Json* text = present(tag, "value");
    if (!name) return reject(missing_required_field("tags.name"));
    if (!text) return reject(missing_required_field("tags.value"));
    if (!name->is_string() || !text->is_string() || !is_tag_text(name->get_ref<const std::string&>()) ||
        !is_tag_text(text->get_ref<const std::string&>()))
      return reject(validation_error("Tags should only contain ASCII letters, numbers, underscores, or dashes."));
    if (name->get_ref<const std::string&>().size() > kMaxTagLength ||
        text->get_ref<const std::string&>().size() > kMaxTagLength)
      return reject(validation_error("Tag names and values must be at most " + std::to_string(kMaxTagLength) +
                                     " characters long."));
    out.push_back(store::Tag{name->get<std::string>(), text->get<std::string>()});
  }
  return out;
}

// read_scheduled_at - ISO 8601 into scheduled_at, natural language into
// relative_schedule (resolved later, against the request's now).
ApiResult<void> read_scheduled_at(const Json& object, SendRequest& out) {
  const Json* value = present(object, "scheduled_at");
  if (!value) return {};
  if (!value->is_string()) return reject(not_a("scheduled_at", "a string", *value));
  auto spec = parse_schedule(value->get_ref<const std::string&>());
  if (!spec) return reject(validation_error(spec.error().message));
  if (spec->kind == ScheduleSpec::Kind::absolute) out.scheduled_at = spec->at;
  else out.relative_schedule = *spec;
  return {};
}

// check_unsupported - fields Tern refuses rather than drops.
ApiResult<void> check_unsupported(const Json& object) {
  if (present(object, "template"))
    return reject(validation_error("Templates are not supported yet: send `html` or `text` instead of `template`."));
  return {};
}

// read_recipients - to, cc, bcc, reply_to and the total recipient limit.
ApiResult<void> read_recipients(const Json& object, SendRequest& out) {
  auto to = read_address_list(object, "to", true);
  if (!to) return reject(to.error());
  auto cc = read_address_list(object, "cc", false);
  if (!cc) return reject(cc.error());
  auto bcc = read_address_list(object, "bcc", false);
  if (!bcc) return reject(bcc.error());
  auto reply_to = read_address_list(object, "reply_to", false);
  if (!reply_to) return reject(reply_to.error());
  if (to->size() + cc->size() + bcc->size() > kMaxRecipients)
    return reject(validation_error("Too many recipients: `to`, `cc` and `bcc` together may hold at most " +
                                   std::to_string(kMaxRecipients) + " addresses."));
  out.to = std::move(*to);
  out.cc = std::move(*cc);
  out.bcc = std::move(*bcc);
  out.reply_to = std::move(*reply_to);
  return {};
}

ApiResult<void> read_from(const Json& object, SendRequest& out) {
  const Json* value = present(object, "from");
  if (!value || (value->is_string() && value->get_ref<const std::string&>().empty()))
    return reject(missing_required_field("from"));
  if (!value->is_string()) return reject(invalid_from_address());
  auto mailbox = read_mailbox("from", value->get_ref<const std::string&>());
  if (!mailbox) return reject(mailbox.error());
  out.from = value->get<std::string>();
  out.from_domain = std::string(mailbox->domain());
  return {};
}

ApiResult<void> read_content(const Json& object, SendRequest& out) {
  auto subject = read_subject(object);
  if (!subject) return reject(subject.error());
  auto html = read_body(object, "html");
  if (!html) return reject(html.error());
  auto text = read_body(object, "text");
  if (!text) return reject(text.error());
  if (!*html && !*text) return reject(validation_error("Either `html` or `text` must be provided."));
  out.subject = std::move(*subject);
  out.html = std::move(*html);
  out.text = std::move(*text);
  return {};
}

}  // namespace

ApiResult<SendRequest> parse_send_request(std::string_view body) {
  auto object = parse_json_object(body);
  if (!object) return reject(object.error());
  return validate_send_request(*object);
}

ApiResult<SendRequest> validate_send_request(const Json& object) {
  if (!object.is_object()) return reject(validation_error("An email must be a JSON object."));
  SendRequest out;
  if (auto ok = read_recipients(object, out); !ok) return reject(ok.error());
  if (auto ok = read_from(object, out); !ok) return reject(ok.error());
  if (auto ok = read_content(object, out); !ok) return reject(ok.error());
  auto headers = read_headers(object);
  if (!headers) return reject(headers.error());
  auto tags = read_tags(object);
  if (!tags) return reject(tags.error());
  if (auto ok = read_scheduled_at(object, out); !ok) return reject(ok.error());
  if (auto ok = check_unsupported(object); !ok) return reject(ok.error());
  auto attachments = read_attachments(object);
  if (!attachments) return reject(attachments.error());
  out.headers = std::move(*headers);
  out.tags = std::move(*tags);
  out.attachments = std::move(*attachments);
  return out;
}

std::optional<TimePoint> scheduled_time(const SendRequest& request, TimePoint now) {
  if (request.relative_schedule) return resolve_schedule(*request.relative_schedule, now);
  return request.scheduled_at;
}

ApiResult<void> check_schedule(const SendRequest& request, TimePoint now) {
  const auto when = scheduled_time(request, now);
  if (when && *when > now + kMaxScheduleAhead)
    return reject(validation_error("The `scheduled_at` date must be at most 30 days in the future."));
  return {};
}

store::EmailContent to_email_content(const SendRequest& request, std::string team, std::string id,
                                     std::string message_id, TimePoint now) {
  store::EmailContent content;
  content.id = std::move(id);
  content.team = std::move(team);
  content.from = request.from;
  content.to = request.to;
  content.cc = request.cc;
  content.bcc = request.bcc;
  content.reply_to = request.reply_to;
  content.subject = request.subject;
  content.html = request.html;
  content.text = request.text;
  content.headers = request.headers;
  content.tags = request.tags;
  content.message_id = std::move(message_id);
  content.created_at = now;
  content.attachments = request.attachments;
  if (const auto when = scheduled_time(request, now); when && *when > now) content.scheduled_at = when;
  return content;
}

}  // namespace tern::api
