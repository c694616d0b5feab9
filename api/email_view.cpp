// email_view.cpp - StoredEmail -> the Resend "email" object.
#include "api/email_view.hpp"

#include <array>

#include "store/util/time_format.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

Json optional_string(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }

Json string_array(const std::vector<std::string>& values) {
  Json out = Json::array();
  for (const auto& v : values) out.push_back(v);
  return out;
}

}  // namespace

std::string last_event_for_api(std::string_view stored) {
  // resend-api.md §5.3: the closed enum the Rust SDK deserialises.
  static constexpr std::array<std::string_view, 12> kEvents = {
      "bounced", "canceled", "clicked", "complained", "delivered", "delivery_delayed",
      "failed",  "opened",   "queued",  "scheduled",  "sent",      "suppressed"};
  for (auto known : kEvents)
    if (known == stored) return std::string(stored);
  return "queued";
}

Json email_view(const store::StoredEmail& email) {
  const store::EmailContent& c = email.content;
  Json tags = Json::array();
  for (const auto& tag : c.tags) tags.push_back(Json{{"name", tag.name}, {"value", tag.value}});
  Json out;
  out["object"] = "email";
  out["id"] = c.id;
  out["message_id"] = c.message_id;
  out["to"] = string_array(c.to);
  out["from"] = c.from;
  out["created_at"] = format_resend_timestamp(c.created_at);
  out["subject"] = c.subject;
  out["html"] = optional_string(c.html);
  out["text"] = optional_string(c.text);
  out["bcc"] = string_array(c.bcc);
  out["cc"] = string_array(c.cc);
  out["reply_to"] = string_array(c.reply_to);
  out["last_event"] = last_event_for_api(email.state.last_event);
  out["scheduled_at"] = c.scheduled_at ? Json(format_resend_timestamp(*c.scheduled_at)) : Json(nullptr);
  out["tags"] = std::move(tags);
  out["topic_id"] = nullptr;
  return out;
}

Json email_list_item(const store::StoredEmail& email) {
  const store::EmailContent& c = email.content;
  auto array_or_null = [](const std::vector<std::string>& values) {
    return values.empty() ? Json(nullptr) : string_array(values);
  };
  Json out;
  out["id"] = c.id;
  out["message_id"] = c.message_id;
  out["to"] = string_array(c.to);
  out["from"] = c.from;
  out["created_at"] = format_resend_timestamp(c.created_at);
  out["subject"] = c.subject;
  out["bcc"] = array_or_null(c.bcc);
  out["cc"] = array_or_null(c.cc);
  out["reply_to"] = array_or_null(c.reply_to);
  out["last_event"] = last_event_for_api(email.state.last_event);
  out["scheduled_at"] = c.scheduled_at ? Json(format_resend_timestamp(*c.scheduled_at)) : Json(nullptr);
  return out;
}

}  // namespace tern::api
