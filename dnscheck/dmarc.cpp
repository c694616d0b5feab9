// dmarc.cpp - the DMARC record parser (RFC 9989 §4.7, RFC 7489 §6.3). Pure.
//
// The tag-list syntax is shared with DKIM (tag_list.hpp). Tag names and
// keyword values are compared case-insensitively, as the ABNF literals are;
// "v=DMARC1" itself must be exact and first.
#include "dnscheck/dmarc.hpp"

#include <set>

#include "dnscheck/tag_list.hpp"

namespace tern::dns {
namespace {

tl::unexpected<Error> syntax(std::string message) { return fail(Errc::invalid_argument, std::move(message)); }

std::optional<DmarcPolicy> policy_value(std::string_view value) {
  if (iequals(value, "none")) return DmarcPolicy::none;
  if (iequals(value, "quarantine")) return DmarcPolicy::quarantine;
  if (iequals(value, "reject")) return DmarcPolicy::reject;
  return std::nullopt;
}

Result<void> parse_policy(std::optional<DmarcPolicy>& slot, const Tag& tag) {
  slot = policy_value(tag.value);
  if (!slot) {
    return syntax(tag.name + "=" + tag.value + " is not a policy: use none, quarantine or reject");
  }
  return {};
}

Result<void> parse_alignment(char& slot, const Tag& tag) {
  if (iequals(tag.value, "r") || iequals(tag.value, "s")) {
    slot = ascii_lower(tag.value)[0];
    return {};
  }
  return syntax(tag.name + "=" + tag.value + " is not an alignment mode: use r (relaxed) or s (strict)");
}

Result<void> parse_pct(DmarcRecord& record, const Tag& tag) {
  const std::string& v = tag.value;
  if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) > 100) {
    return syntax("pct=" + v + " is not a whole number from 0 to 100");
  }
  record.pct = std::stoi(v);
  record.warnings.push_back("pct= was removed in RFC 9989 and is ignored by receivers that follow it");
  return {};
}

// parse_uris - rua/ruf: comma-separated mailto: URIs, each with an address.
Result<void> parse_uris(std::vector<std::string>& out, DmarcRecord& record, const Tag& tag) {
  for (const std::string& piece : split(tag.value, ',')) {
    const std::string uri(trim(piece));
    if (!istarts_with(uri, "mailto:")) {
      return syntax(tag.name + "= entry \"" + uri + "\" is not a mailto: URI (write mailto:reports@example.com)");
    }
    std::string address = uri.substr(7);
    if (const std::size_t bang = address.find('!'); bang != std::string::npos) {
      record.warnings.push_back(tag.name + "= size limits (\"!" + address.substr(bang + 1) +
                                "\") are obsolete in RFC 9989");
      address.resize(bang);
    }
    const std::size_t at = address.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= address.size()) {
      return syntax(tag.name + "= entry \"" + uri + "\" has no valid email address after mailto:");
    }
    out.push_back(uri);
  }
  return {};
}

Result<void> parse_keyword(const Tag& tag, std::initializer_list<const char*> allowed, char separator = '\0') {
  const std::vector<std::string> values = separator ? split(tag.value, separator) : std::vector<std::string>{tag.value};
  for (const std::string& value : values) {
    bool ok = false;
    for (const char* option : allowed) ok = ok || iequals(trim(value), option);
    if (!ok) {
      std::string options;
      for (const char* option : allowed) options += (options.empty() ? "" : ", ") + std::string(option);
      return syntax(tag.name + "=" + tag.value + " is not valid: use " + options);
    }
  }
  return {};
}

Result<void> apply_tag(DmarcRecord& record, const Tag& tag) {
  const std::string name = ascii_lower(tag.name);
  if (name == "p") return parse_policy(record.p, tag);
  if (name == "sp") return parse_policy(record.sp, tag);
  if (name == "np") return parse_policy(record.np, tag);
  if (name == "adkim") return parse_alignment(record.adkim, tag);
  if (name == "aspf") return parse_alignment(record.aspf, tag);
  if (name == "pct") return parse_pct(record, tag);
  if (name == "rua") return parse_uris(record.rua, record, tag);
  if (name == "ruf") return parse_uris(record.ruf, record, tag);
  if (name == "fo") return parse_keyword(tag, {"0", "1", "d", "s"}, ':');
  if (name == "psd") return parse_keyword(tag, {"y", "n", "u"});
  if (name == "t") {
    Result<void> ok = parse_keyword(tag, {"y", "n"});
    if (ok && iequals(tag.value, "y")) {
      record.testing = true;
      record.warnings.push_back("t=y: the policy is in testing mode and receivers may not apply it");
    }
    return ok;
  }
  if (name == "rf" || name == "ri") {
    record.warnings.push_back(name + "= was removed in RFC 9989 and is ignored by receivers that follow it");
  }
  return {};  // unknown tags are ignored (RFC 9989)
}

}  // namespace

const char* to_string(DmarcPolicy policy) {
  switch (policy) {
    case DmarcPolicy::none: return "none";
    case DmarcPolicy::quarantine: return "quarantine";
    case DmarcPolicy::reject: return "reject";
  }
  return "unknown";
}

bool is_dmarc_record(std::string_view txt) {
  txt = trim(txt);
  if (txt.empty() || txt.front() != 'v') return false;
  txt = trim(txt.substr(1));
  if (txt.empty() || txt.front() != '=') return false;
  txt = trim(txt.substr(1));
  if (txt.substr(0, 6) != "DMARC1") return false;
  return txt.size() == 6 || txt[6] == ';' || is_wsp(txt[6]);
}

Result<DmarcRecord> parse_dmarc(std::string_view txt) {
  if (!is_dmarc_record(txt)) return syntax("the record does not start with \"v=DMARC1\"");
  Result<std::vector<Tag>> tags = parse_tag_list(txt);
  if (!tags) return tl::unexpected(tags.error());
  DmarcRecord record;
  std::set<std::string> seen;
  for (std::size_t i = 1; i < tags->size(); ++i) {  // tag 0 is v=DMARC1
    const Tag& tag = (*tags)[i];
    if (!seen.insert(ascii_lower(tag.name)).second || iequals(tag.name, "v")) {
      return syntax("tag " + tag.name + "= appears twice; a record with a repeated tag is invalid");
    }
    Result<void> applied = apply_tag(record, tag);
    if (!applied) return tl::unexpected(applied.error());
  }
  if (!record.p) {
    record.warnings.push_back(
        "no p= tag: RFC 9989 receivers read p=none, but RFC 7489 receivers ignore the record unless rua= is valid; "
        "add p=none");
  }
  return record;
}

}  // namespace tern::dns
