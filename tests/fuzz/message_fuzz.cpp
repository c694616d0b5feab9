// message_fuzz.cpp - libFuzzer target for mailer::build_message on arbitrary
// field values.
//
// Input layout: one flags byte, then fields cut at 0x1E: from name, from
// address, to mailbox, cc name, subject, text, html, custom header name,
// custom header value, attachment filename, content type, content, content
// id. Mailbox text goes through parse_mailbox as the API does (a fixed
// address when it is refused); every other field reaches the builder raw.
// Invariants (message.hpp, mime_builder.cpp): CRLF line ends only, no line
// over 998, 7-bit output, and a top-level header section whose lines are
// only the headers Tern writes plus the custom ones that pass
// validate_custom_header: no field value can inject a header line.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "mailer/address.hpp"
#include "mailer/message.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace mailer = tern::mailer;

enum Field { kFromName, kFromAddress, kTo, kCcName, kSubject, kText, kHtml, kHeaderName, kHeaderValue,
             kFilename, kContentType, kContent, kContentId };

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

mailer::Mailbox mailbox_or(std::string_view text, std::string_view fallback) {
  auto parsed = mailer::parse_mailbox(text);
  return parsed ? *parsed : mailer::Mailbox{"", std::string(fallback)};
}

mailer::OutgoingMessage make_message(uint8_t flags, const tern::fuzz::Fields& f) {
  mailer::OutgoingMessage m;
  m.from = mailbox_or(f[kFromAddress], "sender@example.com");
  m.from.display_name = std::string(f[kFromName]);  // raw: the builder must cope
  m.to.push_back(mailbox_or(f[kTo], "to@example.com"));
  if (flags & 0x01) m.cc.push_back(mailer::Mailbox{std::string(f[kCcName]), "cc@bücher.example"});
  if (flags & 0x02) m.reply_to.push_back(m.to.front());
  m.subject = std::string(f[kSubject]);
  if (flags & 0x04) m.text = std::string(f[kText]);
  if (flags & 0x08) m.html = std::string(f[kHtml]);
  m.headers.emplace_back(f[kHeaderName], f[kHeaderValue]);
  m.headers.emplace_back("X-Fuzz", f[kHeaderValue]);
  m.message_id = "<fuzz.1@tern.example>";
  m.date = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  m.mime_boundary_seed = "fuzz";
  if (flags & 0x10) {
    m.attachments.push_back({std::string(f[kFilename]), std::string(f[kContentType]), std::string(f[kContent]),
                             std::string(f[kContentId])});
  }
  if (flags & 0x20) m.attachments.push_back({std::string(f[kFilename]), "text/plain", "x", ""});
  return m;
}

// check_header_section - every top-level header line is a continuation or
// one of the expected fields; From, To, Subject appear exactly once.
void check_header_section(std::string_view message, std::string_view custom_name) {
  const std::size_t end = message.find("\r\n\r\n");
  FUZZ_CHECK(end != std::string_view::npos, "no empty line after the header section");
  std::set<std::string> allowed = {"from", "to", "cc", "reply-to", "subject", "date", "message-id",
                                   "mime-version", "content-type", "content-transfer-encoding", "x-fuzz"};
  if (!custom_name.empty()) allowed.insert(lower(custom_name));
  std::multiset<std::string> seen;
  std::size_t start = 0;
  while (start < end + 2) {
    const std::size_t eol = message.find("\r\n", start);
    const std::string_view line = message.substr(start, eol - start);
    start = eol + 2;
    FUZZ_CHECK(line.find_first_not_of(" \t") != std::string_view::npos, "whitespace-only header line");
    if (line.front() == ' ' || line.front() == '\t') continue;
    const std::size_t colon = line.find(':');
    FUZZ_CHECK(colon != std::string_view::npos, "header line without ':'");
    const std::string name = lower(line.substr(0, colon));
    FUZZ_CHECK(allowed.count(name) == 1, "unexpected header line (injection?)");
    seen.insert(name);
  }
  FUZZ_CHECK(seen.count("from") == 1 && seen.count("to") == 1 && seen.count("subject") == 1,
             "From, To or Subject missing or repeated");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const tern::fuzz::Fields fields(tern::fuzz::as_view(data + 1, size - 1), '\x1e');
  const mailer::OutgoingMessage message = make_message(data[0], fields);
  const std::string out = mailer::build_message(message);

  FUZZ_CHECK(tern::fuzz::lines_crlf_only(out), "bare CR or LF in the message");
  FUZZ_CHECK(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0, "message without final CRLF");
  FUZZ_CHECK(tern::fuzz::longest_line(out) <= 998, "line over 998 octets");
  FUZZ_CHECK(std::all_of(out.begin(), out.end(), [](char c) { return c != '\0' && static_cast<unsigned char>(c) < 0x80; }),
             "NUL or 8-bit byte in the message");
  const bool custom_ok = mailer::validate_custom_header(fields[kHeaderName], fields[kHeaderValue]).has_value();
  check_header_section(out, custom_ok ? fields[kHeaderName] : std::string_view());
  (void)mailer::is_valid_content_type(fields[kContentType]);
  (void)mailer::is_valid_content_id(fields[kContentId]);
  return 0;
}
