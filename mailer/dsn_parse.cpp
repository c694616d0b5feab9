// dsn_parse.cpp - a small bounded MIME reader (headers, Content-Type
// parameters, multipart splitting, base64/quoted-printable) and the two
// report grammars on top of it: RFC 3464 §2.2-2.3 (per-message fields, then
// one block of fields per recipient) and RFC 5965 §3.1-3.2.
#include "mailer/dsn_parse.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "store/util/encoding.hpp"

namespace tern::mailer {
namespace {

struct Field {
  std::string name;  // lower-case
  std::string value; // unfolded, trimmed
};
using Fields = std::vector<Field>;

struct Entity {
  Fields headers;
  std::string_view body;
};

struct ContentType {
  std::string type;  // "multipart/report", lower-case
  std::map<std::string, std::string> params;  // names lower-case
};

// Walk - the state shared by the recursive search: limits and part count.
struct Walk {
  const ReportLimits& limits;
  std::size_t parts = 0;
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// next_line - the line at pos without its CRLF or LF; pos moves past it.
std::string_view next_line(std::string_view text, std::size_t& pos) {
  std::size_t nl = text.find('\n', pos);
  std::size_t end = nl == std::string_view::npos ? text.size() : nl;
  std::string_view line = text.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos = nl == std::string_view::npos ? text.size() : nl + 1;
  return line;
}

// parse_fields - header fields up to the first empty line (or the end);
// `rest` is set to what follows the empty line.
Result<Fields> parse_fields(std::string_view text, std::size_t max_fields, std::string_view* rest) {
  Fields fields;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view line = next_line(text, pos);
    if (trim(line).empty()) break;
    if ((line.front() == ' ' || line.front() == '\t')) {
      if (!fields.empty()) fields.back().value += " " + std::string(trim(line));
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // "From " lines and junk
    if (fields.size() >= max_fields) return fail(Errc::invalid_argument, "too many header fields");
    fields.push_back(Field{lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  for (auto& f : fields) {
    f.value = std::string(trim(f.value));
    // A value reaches the API, webhooks and logs: a bare CR, NUL or other
    // control character a remote MTA put there becomes a space.
    for (char& c : f.value) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) c = ' ';
    }
  }
  if (rest) *rest = text.substr(pos);
  return fields;
}

const std::string* find_field(const Fields& fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name == name) return &f.value;
  return nullptr;
}

std::string field_or_empty(const Fields& fields, std::string_view name) {
  const std::string* v = find_field(fields, name);
  return v ? *v : std::string();
}

// parse_content_type - RFC 2045 §5.1: type/subtype *(; attribute=value),
// value a token or a quoted-string. Comments are not supported (rare).
ContentType parse_content_type(std::string_view value) {
  ContentType ct;
  auto semi = value.find(';');
  ct.type = lower(trim(value.substr(0, semi)));
  std::size_t pos = semi == std::string_view::npos ? value.size() : semi + 1;
  while (pos < value.size()) {
    while (pos < value.size() && (std::isspace(static_cast<unsigned char>(value[pos])) || value[pos] == ';')) ++pos;
    auto eq = value.find('=', pos);
    if (eq == std::string_view::npos) break;
    std::string name = lower(trim(value.substr(pos, eq - pos)));
    pos = eq + 1;
    while (pos < value.size() && std::isspace(static_cast<unsigned char>(value[pos]))) ++pos;
    std::string v;
    if (pos < value.size() && value[pos] == '"') {
      for (++pos; pos < value.size() && value[pos] != '"'; ++pos) {
        if (value[pos] == '\\' && pos + 1 < value.size()) ++pos;
        v += value[pos];
      }
      ++pos;
    } else {
      auto end = value.find(';', pos);
      v = std::string(trim(value.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos)));
      pos = end == std::string_view::npos ? value.size() : end;
    }
    ct.params[name] = v;
  }
  return ct;
}

ContentType content_type_of(const Entity& e) {
  const std::string* v = find_field(e.headers, "content-type");
  return parse_content_type(v ? *v : "text/plain");
}

Result<Entity> parse_entity(std::string_view text, const ReportLimits& limits) {
  Entity e;
  auto fields = parse_fields(text, limits.max_header_fields, &e.body);
  if (!fields) return tl::unexpected(fields.error());
  e.headers = std::move(*fields);
  return e;
}

// split_multipart - the bodies between "--boundary" lines (RFC 2046 §5.1.1);
// the line break before a delimiter belongs to the delimiter. A missing
// close delimiter ends the last part at the end of the text.
Result<std::vector<std::string_view>> split_multipart(std::string_view body, std::string_view boundary, Walk& walk) {
  if (boundary.empty() || boundary.size() > 70) return fail(Errc::invalid_argument, "bad multipart boundary");
  const std::string delimiter = "--" + std::string(boundary);
  std::vector<std::string_view> parts;
  std::optional<std::size_t> open;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t line_start = pos;
    std::string_view line = next_line(body, pos);
    if (line.substr(0, delimiter.size()) != delimiter) continue;
    std::string_view tail = trim(line.substr(delimiter.size()));
    if (!tail.empty() && tail != "--") continue;
    if (open) {
      std::size_t end = line_start;
      if (end > *open && body[end - 1] == '\n') --end;
      if (end > *open && body[end - 1] == '\r') --end;
      parts.push_back(body.substr(*open, end - *open));
      if (++walk.parts > walk.limits.max_parts) return fail(Errc::invalid_argument, "too many MIME parts");
    }
    if (tail == "--") return parts;
    open = pos;
  }
  if (open) parts.push_back(body.substr(*open));
  return parts;
}

std::string decode_quoted_printable(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out += in[i];
    } else if (i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += char(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (i + 1 < in.size() && (in[i + 1] == '\r' || in[i + 1] == '\n')) {
      i += (in[i + 1] == '\r' && i + 2 < in.size() && in[i + 2] == '\n') ? 2 : 1;  // soft line break
    } else {
      out += in[i];
    }
  }
  return out;
}

// decoded_body - the body with its Content-Transfer-Encoding undone.
std::string decoded_body(const Entity& e) {
  std::string cte = lower(field_or_empty(e.headers, "content-transfer-encoding"));
  if (cte == "base64") {
    std::string compact;
    for (char c : e.body)
      if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
    if (auto d = base64_decode(compact)) return *d;
    return std::string();
  }
  if (cte == "quoted-printable") return decode_quoted_printable(e.body);
  return std::string(e.body);
}

// find_report - the parts of the first multipart/report, depth first.
Result<std::optional<std::pair<ContentType, std::vector<Entity>>>> find_report(const Entity& entity, int depth,
                                                                              Walk& walk) {
  using Found = std::optional<std::pair<ContentType, std::vector<Entity>>>;
  ContentType ct = content_type_of(entity);
  if (ct.type.substr(0, 10) != "multipart/") return Found{};
  if (depth >= walk.limits.max_depth) return fail(Errc::invalid_argument, "MIME nesting too deep");
  auto bodies = split_multipart(entity.body, ct.params["boundary"], walk);
  if (!bodies) return tl::unexpected(bodies.error());
  std::vector<Entity> parts;
  for (auto body : *bodies) {
    auto part = parse_entity(body, walk.limits);
    if (!part) return tl::unexpected(part.error());
    parts.push_back(std::move(*part));
  }
  if (ct.type == "multipart/report") return Found(std::make_pair(std::move(ct), std::move(parts)));
  for (const auto& part : parts) {
    auto inner = find_report(part, depth + 1, walk);
    if (!inner || *inner) return inner;
  }
  return Found{};
}

// typed_value - "rfc822; <a@b>" -> "a@b"; "dns; mx.example" -> "mx.example".
std::string typed_value(std::string_view value) {
  auto semi = value.find(';');
  std::string_view v = trim(semi == std::string_view::npos ? value : value.substr(semi + 1));
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return std::string(trim(v));
}

DsnAction parse_action(std::string_view value) {
  std::string v = lower(trim(value.substr(0, value.find_first_of(" \t("))));
  for (auto a : {DsnAction::failed, DsnAction::delayed, DsnAction::delivered, DsnAction::relayed, DsnAction::expanded})
    if (v == to_string(a)) return a;
  return DsnAction::unknown;
}

// parse_status - "5.1.1 (bad mailbox)" -> "5.1.1"; empty unless class.subject.detail.
std::string parse_status(std::string_view value) {
  std::string_view v = trim(value);
  v = v.substr(0, v.find_first_of(" \t("));
  if (v.size() < 5 || (v[0] != '2' && v[0] != '4' && v[0] != '5') || v[1] != '.') return {};
  int dots = 0;
  for (char c : v.substr(2)) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  return dots == 1 && v.back() != '.' && v[2] != '.' ? std::string(v) : std::string();
}

DsnRecipient to_recipient(const Fields& block) {
  DsnRecipient r;
  r.final_recipient = typed_value(field_or_empty(block, "final-recipient"));
  r.original_recipient = typed_value(field_or_empty(block, "original-recipient"));
  r.action = parse_action(field_or_empty(block, "action"));
  r.status = parse_status(field_or_empty(block, "status"));
  std::string diag = field_or_empty(block, "diagnostic-code");
  auto semi = diag.find(';');
  if (semi != std::string::npos) {
    r.diagnostic_type = lower(trim(std::string_view(diag).substr(0, semi)));
    r.diagnostic_code = std::string(trim(std::string_view(diag).substr(semi + 1)));
  } else {
    r.diagnostic_code = diag;
  }
  r.remote_mta = typed_value(field_or_empty(block, "remote-mta"));
  return r;
}

// parse_delivery_status - RFC 3464 §2.1: per-message fields, then blocks of
// per-recipient fields, separated by empty lines.
Result<void> parse_delivery_status(std::string_view body, const ReportLimits& limits, ParsedReport& report) {
  std::string_view rest = body;
  bool first = true;
  while (!trim(rest).empty()) {
    auto block = parse_fields(rest, limits.max_header_fields, &rest);
    if (!block) return tl::unexpected(block.error());
    if (block->empty()) continue;
    if (first && !find_field(*block, "final-recipient")) {
      report.reporting_mta = typed_value(field_or_empty(*block, "reporting-mta"));
    } else if (find_field(*block, "final-recipient")) {
      if (report.recipients.size() >= limits.max_recipients)
        return fail(Errc::invalid_argument, "too many recipients in the report");
      report.recipients.push_back(to_recipient(*block));
    }
    first = false;
  }
  if (report.recipients.empty()) return fail(Errc::invalid_argument, "delivery status without recipients");
  return {};
}

Result<void> parse_feedback(std::string_view body, const ReportLimits& limits, ParsedReport& report) {
  auto fields = parse_fields(body, limits.max_header_fields, nullptr);
  if (!fields) return tl::unexpected(fields.error());
  report.feedback_type = lower(field_or_empty(*fields, "feedback-type"));
  if (report.feedback_type.empty()) return fail(Errc::invalid_argument, "feedback report without Feedback-Type");
  for (const auto& f : *fields) {
    if (f.name != "original-rcpt-to") continue;
    if (report.original_rcpt_to.size() >= limits.max_recipients)
      return fail(Errc::invalid_argument, "too many recipients in the report");
    report.original_rcpt_to.push_back(typed_value(f.value));
  }
  report.original_mail_from = typed_value(field_or_empty(*fields, "original-mail-from"));
  return {};
}

bool is_returned_message(const std::string& type) {
  return type == "message/rfc822" || type == "text/rfc822-headers" || type == "message/global" ||
         type == "message/global-headers" || type == "message/rfc822-headers";
}

std::string returned_message_id(const Entity& part, const ReportLimits& limits) {
  std::string decoded = decoded_body(part);
  auto fields = parse_fields(decoded, limits.max_header_fields, nullptr);
  if (!fields) return {};
  return field_or_empty(*fields, "message-id");
}

}  // namespace

const char* to_string(DsnAction action) {
  switch (action) {
    case DsnAction::failed: return "failed";
    case DsnAction::delayed: return "delayed";
    case DsnAction::delivered: return "delivered";
    case DsnAction::relayed: return "relayed";
    case DsnAction::expanded: return "expanded";
    case DsnAction::unknown: return "unknown";
  }
  return "unknown";
}

Result<ParsedReport> parse_report(std::string_view message, const ReportLimits& limits) {
  if (message.size() > limits.max_bytes) return fail(Errc::invalid_argument, "report too large");
  auto top = parse_entity(message, limits);
  if (!top) return tl::unexpected(top.error());
  Walk walk{limits};
  auto found = find_report(*top, 0, walk);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(Errc::invalid_argument, "not a multipart/report message");
  auto& [ct, parts] = **found;

  ParsedReport report;
  bool have_status = false;
  for (const auto& part : parts) {
    const std::string type = content_type_of(part).type;
    if (!have_status && (type == "message/delivery-status" || type == "message/global-delivery-status")) {
      report.kind = ReportKind::delivery_status;
      if (auto r = parse_delivery_status(decoded_body(part), limits, report); !r) return tl::unexpected(r.error());
      have_status = true;
    } else if (!have_status && type == "message/feedback-report") {
      report.kind = ReportKind::feedback;
      if (auto r = parse_feedback(decoded_body(part), limits, report); !r) return tl::unexpected(r.error());
      have_status = true;
    } else if (is_returned_message(type) && report.original_message_id.empty()) {
      report.original_message_id = returned_message_id(part, limits);
    }
  }
  if (!have_status)
    return fail(Errc::invalid_argument, "multipart/report (" + ct.params["report-type"] + ") without a status part");
  return report;
}

}  // namespace tern::mailer
