// webhook_payload.cpp - see webhook_payload.hpp.
#include "worker/webhook_payload.hpp"

#include <nlohmann/json.hpp>

namespace tern::worker {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// enhanced_parts - "5.1.10" -> {5, 1, 10}; {0, 0, 0} when absent or malformed.
struct Enhanced {
  int klass = 0, subject = 0, detail = 0;
};
Enhanced enhanced_parts(std::string_view text) {
  Enhanced e;
  int* parts[] = {&e.klass, &e.subject, &e.detail};
  size_t index = 0;
  bool digit_seen = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      *parts[index] = *parts[index] * 10 + (c - '0');
      digit_seen = true;
    } else if (c == '.' && digit_seen && index < 2) {
      ++index;
      digit_seen = false;
    } else {
      return {};
    }
  }
  if (index != 2 || !digit_seen) return {};
  return e;
}

std::string sub_type_for(const Enhanced& e) {
  if (e.subject == 1 && (e.detail == 1 || e.detail == 3 || e.detail == 6 || e.detail == 10)) return "NoEmail";
  if (e.subject == 2 && e.detail == 2) return "MailboxFull";
  if ((e.subject == 2 && e.detail == 3) || (e.subject == 3 && e.detail == 4)) return "MessageTooLarge";
  if (e.subject == 6) return "ContentRejected";
  return "General";
}

Json tags_map(const std::vector<store::Tag>& tags) {
  Json map = Json::object();
  for (const auto& t : tags) map[t.name] = t.value;
  return map;
}

}  // namespace

BounceInfo classify_bounce(const std::optional<store::RemoteReply>& reply) {
  BounceInfo info{"Permanent", "General", "", {}};
  if (!reply) {
    info.type = "Undetermined";
    info.sub_type = "Undetermined";
    return info;
  }
  const Enhanced e = enhanced_parts(reply->enhanced);
  if (reply->code >= 400 && reply->code < 500) info.type = "Transient";
  else if (reply->code == 0 && e.klass == 4) info.type = "Transient";
  info.sub_type = sub_type_for(e);
  info.message = reply->text;
  if (reply->code > 0) info.diagnostic_codes.push_back("smtp; " + std::to_string(reply->code) + " " + reply->text);
  return info;
}

std::string email_payload(const store::EmailContent& content, const store::EmailEvent& event) {
  Json data{{"email_id", content.id},
            {"created_at", format_iso8601(content.created_at)},
            {"message_id", content.message_id},
            {"from", content.from},
            {"to", event.recipients},
            {"subject", content.subject},
            {"tags", tags_map(content.tags)}};
  if (event.type == "email.bounced") {
    BounceInfo b = classify_bounce(event.reply);
    data["bounce"] = Json{{"type", b.type},
                          {"subType", b.sub_type},
                          {"message", b.message},
                          {"diagnosticCode", b.diagnostic_codes}};
  } else if (event.type == "email.failed") {
    data["failed"] = Json{{"reason", event.reply && !event.reply->text.empty() ? event.reply->text : "unknown"}};
  }
  return dump(Json{{"type", event.type}, {"created_at", format_iso8601(event.at)}, {"data", std::move(data)}});
}

Result<std::string> domain_payload(std::string_view type, std::string_view data_json, TimePoint at) {
  Json data = Json::parse(data_json, nullptr, false);
  if (!data.is_object()) return fail(Errc::invalid_argument, "domain event data is not a JSON object");
  return dump(Json{{"type", type}, {"created_at", format_iso8601(at)}, {"data", std::move(data)}});
}

}  // namespace tern::worker
