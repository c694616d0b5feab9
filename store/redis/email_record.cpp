#include "store/redis/email_record.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "store/util/encoding.hpp"

namespace tern::store {
namespace {

using nlohmann::json;

json reply_to_json(const RemoteReply& r) {
  return json{{"code", r.code}, {"enhanced", r.enhanced}, {"text", r.text}, {"host", r.host}};
}

RemoteReply reply_from_json(const json& j) {
  RemoteReply r;
  r.code = j.value("code", 0);
  r.enhanced = j.value("enhanced", "");
  r.text = j.value("text", "");
  r.host = j.value("host", "");
  return r;
}

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> read_optional_string(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<std::string>();
}

json attachments_to_json(const std::vector<Attachment>& attachments) {
  json out = json::array();
  for (const auto& a : attachments)
    out.push_back({{"filename", a.filename},
                   {"content_type", a.content_type},
                   {"content_id", a.content_id},
                   {"content_b64", base64_encode(a.content)}});
  return out;
}

std::vector<Attachment> attachments_from_json(const json& j) {
  std::vector<Attachment> out;
  for (const auto& a : j) {
    auto content = base64_decode(a.at("content_b64").get<std::string>());
    if (!content) throw std::runtime_error("attachment content is not base64");
    out.push_back(Attachment{a.value("filename", ""), a.value("content_type", ""), a.value("content_id", ""),
                             std::move(*content)});
  }
  return out;
}

std::optional<RecipientStatus> parse_status(std::string_view s) {
  for (auto st : {RecipientStatus::queued, RecipientStatus::delivered, RecipientStatus::deferred,
                  RecipientStatus::bounced, RecipientStatus::failed, RecipientStatus::suppressed})
    if (s == to_string(st)) return st;
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// bare_address - "Name <a@b>" -> "a@b"; "a@b" unchanged. The API stores
// recipients already validated, so this only strips the display form.
std::string bare_address(const std::string& s) {
  auto lt = s.rfind('<');
  auto gt = s.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) return s.substr(lt + 1, gt - lt - 1);
  return s;
}

}  // namespace

const char* to_string(RecipientStatus status) {
  switch (status) {
    case RecipientStatus::queued: return "queued";
    case RecipientStatus::delivered: return "delivered";
    case RecipientStatus::deferred: return "deferred";
    case RecipientStatus::bounced: return "bounced";
    case RecipientStatus::failed: return "failed";
    case RecipientStatus::suppressed: return "suppressed";
  }
  return "queued";
}

bool EmailState::finished() const {
  return std::none_of(recipients.begin(), recipients.end(), [](const RecipientState& r) {
    return r.status == RecipientStatus::queued || r.status == RecipientStatus::deferred;
  });
}

std::string content_to_json(const EmailContent& c) {
  json headers = json::array();
  for (const auto& [name, value] : c.headers) headers.push_back({{"name", name}, {"value", value}});
  json tags = json::array();
  for (const auto& t : c.tags) tags.push_back({{"name", t.name}, {"value", t.value}});
  json j{{"id", c.id},
         {"team", c.team},
         {"from", c.from},
         {"to", c.to},
         {"cc", c.cc},
         {"bcc", c.bcc},
         {"reply_to", c.reply_to},
         {"subject", c.subject},
         {"html", optional_string(c.html)},
         {"text", optional_string(c.text)},
         {"headers", headers},
         {"tags", tags},
         {"message_id", c.message_id},
         {"created_at_ms", to_unix_ms(c.created_at)},
         {"scheduled_at_ms", c.scheduled_at ? json(to_unix_ms(*c.scheduled_at)) : json(nullptr)}};
  if (!c.attachments.empty()) j["attachments"] = attachments_to_json(c.attachments);
  // base64: a client-built message may hold 8-bit bytes that are not UTF-8.
  if (c.raw_mime) j["raw_mime"] = base64_encode(*c.raw_mime);
  return j.dump();
}

std::string summary_to_json(const EmailContent& content) {
  EmailContent summary;
  summary.id = content.id;
  summary.team = content.team;
  summary.from = content.from;
  summary.to = content.to;
  summary.cc = content.cc;
  summary.bcc = content.bcc;
  summary.reply_to = content.reply_to;
  summary.subject = content.subject;
  summary.message_id = content.message_id;
  summary.created_at = content.created_at;
  summary.scheduled_at = content.scheduled_at;
  return content_to_json(summary);
}

Result<EmailContent> content_from_json(std::string_view text) {
  try {
    json j = json::parse(text);
    EmailContent c;
    c.id = j.at("id").get<std::string>();
    c.team = j.at("team").get<std::string>();
    c.from = j.at("from").get<std::string>();
    c.to = j.at("to").get<std::vector<std::string>>();
    c.cc = j.value("cc", std::vector<std::string>{});
    c.bcc = j.value("bcc", std::vector<std::string>{});
    c.reply_to = j.value("reply_to", std::vector<std::string>{});
    c.subject = j.at("subject").get<std::string>();
    c.html = read_optional_string(j, "html");
    c.text = read_optional_string(j, "text");
    for (const auto& h : j.value("headers", json::array()))
      c.headers.emplace_back(h.at("name").get<std::string>(), h.at("value").get<std::string>());
    for (const auto& t : j.value("tags", json::array()))
      c.tags.push_back(Tag{t.at("name").get<std::string>(), t.at("value").get<std::string>()});
    c.message_id = j.at("message_id").get<std::string>();
    c.created_at = from_unix_ms(j.at("created_at_ms").get<int64_t>());
    if (auto it = j.find("scheduled_at_ms"); it != j.end() && !it->is_null())
      c.scheduled_at = from_unix_ms(it->get<int64_t>());
    if (auto it = j.find("attachments"); it != j.end()) c.attachments = attachments_from_json(*it);
    if (auto it = j.find("raw_mime"); it != j.end()) {
      c.raw_mime = base64_decode(it->get<std::string>());
      if (!c.raw_mime) return fail(Errc::internal, "stored email content unreadable: raw_mime is not base64");
    }
    return c;
  } catch (const std::exception& e) {
    return fail(Errc::internal, std::string("stored email content unreadable: ") + e.what());
  }
}

std::string state_to_json(const EmailState& s) {
  json rcpts = json::array();
  for (const auto& r : s.recipients) {
    json jr{{"address", r.address}, {"status", to_string(r.status)}, {"attempts", r.attempts}};
    if (r.last_reply) jr["last_reply"] = reply_to_json(*r.last_reply);
    rcpts.push_back(jr);
  }
  json j{{"last_event", s.last_event},
         {"recipients", rcpts},
         {"attempts", s.attempts},
         {"delayed_reported", s.delayed_reported},
         {"next_attempt_at_ms", s.next_attempt_at ? json(to_unix_ms(*s.next_attempt_at)) : json(nullptr)}};
  return j.dump();
}

Result<EmailState> state_from_json(std::string_view text) {
  try {
    json j = json::parse(text);
    EmailState s;
    s.last_event = j.at("last_event").get<std::string>();
    s.attempts = j.value("attempts", 0);
    s.delayed_reported = j.value("delayed_reported", false);
    if (auto it = j.find("next_attempt_at_ms"); it != j.end() && !it->is_null())
      s.next_attempt_at = from_unix_ms(it->get<int64_t>());
    for (const auto& jr : j.at("recipients")) {
      RecipientState r;
      r.address = jr.at("address").get<std::string>();
      auto st = parse_status(jr.at("status").get<std::string>());
      if (!st) return fail(Errc::internal, "stored recipient status unknown");
      r.status = *st;
      r.attempts = jr.value("attempts", 0);
      if (auto it = jr.find("last_reply"); it != jr.end()) r.last_reply = reply_from_json(*it);
      s.recipients.push_back(std::move(r));
    }
    return s;
  } catch (const std::exception& e) {
    return fail(Errc::internal, std::string("stored email state unreadable: ") + e.what());
  }
}

std::string event_to_json(const EmailEvent& e) {
  json j{{"type", e.type}, {"at_ms", to_unix_ms(e.at)}, {"recipients", e.recipients}};
  if (e.reply) j["reply"] = reply_to_json(*e.reply);
  return j.dump();
}

Result<EmailEvent> event_from_json(std::string_view text) {
  try {
    json j = json::parse(text);
    EmailEvent e;
    e.type = j.at("type").get<std::string>();
    e.at = from_unix_ms(j.at("at_ms").get<int64_t>());
    e.recipients = j.value("recipients", std::vector<std::string>{});
    if (auto it = j.find("reply"); it != j.end()) e.reply = reply_from_json(*it);
    return e;
  } catch (const std::exception& ex) {
    return fail(Errc::internal, std::string("stored event unreadable: ") + ex.what());
  }
}

EmailState initial_state(const EmailContent& content) {
  EmailState s;
  s.last_event = content.scheduled_at ? "scheduled" : "sent";
  std::set<std::string> seen;
  for (const auto* list : {&content.to, &content.cc, &content.bcc}) {
    for (const auto& raw : *list) {
      std::string addr = bare_address(raw);
      if (!seen.insert(lower(addr)).second) continue;
      s.recipients.push_back(RecipientState{addr, RecipientStatus::queued, 0, std::nullopt});
    }
  }
  return s;
}

}  // namespace tern::store
