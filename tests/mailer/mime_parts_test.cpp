// mime_parts_test.cpp - attachment parts, RFC 2231 parameters, multipart
// nesting, and build_message with attachments, checked both by hand and by
// an independent parser (Python's email package, /usr/bin/python3).
#include "mailer/mime_parts.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "mailer/header_folding.hpp"
#include "mailer/transfer_encoding.hpp"
#include "store/util/encoding.hpp"
#include "tests/mailer/mail_parse.hpp"

namespace tern::mailer {
namespace {

using testing::header_values;
using testing::multipart_bodies;
using testing::parse_message;
using testing::wire_problem;

OutgoingMessage message_with(std::vector<Attachment> attachments) {
  OutgoingMessage m;
  m.from = {"Acme", "onboarding@acme.test"};
  m.to = {{"", "user@example.com"}};
  m.subject = "Invoice";
  m.text = "See attached.";
  m.html = "<p>See <img src=\"cid:logo\"></p>";
  m.message_id = "<abc@tern.test>";
  m.date = std::chrono::system_clock::time_point(std::chrono::seconds(1767322800));
  m.mime_boundary_seed = "seed";
  m.attachments = std::move(attachments);
  return m;
}

std::string boundary_of(const std::string& content_type) {
  const auto at = content_type.find("boundary=\"");
  if (at == std::string::npos) return "";
  const auto start = at + 10;
  return content_type.substr(start, content_type.find('"', start) - start);
}

// python_parts - what Python's email package makes of the message: one line
// per leaf part, "type|disposition|filename|content-id|base64(payload)".
std::string python_parts(const std::string& message) {
  char path[] = "/tmp/tern_mime_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return "mkstemp failed";
  close(fd);
  std::ofstream(path, std::ios::binary) << message;
  const std::string script =
      "import sys,email,email.policy,base64\n"
      "m=email.message_from_binary_file(open(sys.argv[1],'rb'),policy=email.policy.default)\n"
      "for p in m.walk():\n"
      "  if p.is_multipart(): continue\n"
      "  b=p.get_payload(decode=True) or b''\n"
      "  print('|'.join([p.get_content_type(),str(p.get_content_disposition()),str(p.get_filename()),"
      "str(p.get('Content-ID')),base64.b64encode(b).decode()]))\n";
  const std::string command = "/usr/bin/python3 -c \"$TERN_PY\" " + std::string(path) + " 2>&1";
  setenv("TERN_PY", script.c_str(), 1);
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer{};
    while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    pclose(pipe);
  }
  unlink(path);
  return out;
}

TEST(ContentChecks, ContentTypeGrammar) {
  EXPECT_TRUE(is_valid_content_type("application/pdf"));
  EXPECT_TRUE(is_valid_content_type("text/plain; charset=utf-8"));
  EXPECT_TRUE(is_valid_content_type("text/plain;charset=\"utf-8\"; format=flowed"));
  EXPECT_TRUE(is_valid_content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
  EXPECT_FALSE(is_valid_content_type(""));
  EXPECT_FALSE(is_valid_content_type("pdf"));
  EXPECT_FALSE(is_valid_content_type("text/"));
  EXPECT_FALSE(is_valid_content_type("text/plain\r\nBcc: x@y"));
  EXPECT_FALSE(is_valid_content_type("text/plain; charset"));
  EXPECT_FALSE(is_valid_content_type("text/plain; a=\"unterminated"));
  EXPECT_FALSE(is_valid_content_type("text/pl ain"));
  EXPECT_FALSE(is_valid_content_type("text/plain; a=\"x\r\ny\""));
  EXPECT_FALSE(is_valid_content_type("text/" + std::string(300, 'a')));
}

TEST(ContentChecks, ContentIdGrammar) {
  EXPECT_TRUE(is_valid_content_id("logo-image"));
  EXPECT_TRUE(is_valid_content_id("part1.abc@example.com"));
  EXPECT_TRUE(is_valid_content_id(std::string(127, 'a')));
  EXPECT_FALSE(is_valid_content_id(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_content_id(""));
  EXPECT_FALSE(is_valid_content_id("a b"));
  EXPECT_FALSE(is_valid_content_id("<a>"));
  EXPECT_FALSE(is_valid_content_id("a\r\nb"));
}

TEST(ParameterPieces, AsciiIsQuotedNonAsciiIsRfc2231) {
  EXPECT_EQ(parameter_pieces("filename", "invoice.pdf"), std::vector<std::string>{" filename=\"invoice.pdf\""});
  EXPECT_EQ(parameter_pieces("filename", "a \"b\".pdf"), std::vector<std::string>{" filename=\"a \\\"b\\\".pdf\""});
  EXPECT_EQ(parameter_pieces("filename", "r\xC3\xA9sum\xC3\xA9.pdf"),
            std::vector<std::string>{" filename*=utf-8''r%C3%A9sum%C3%A9.pdf"});
  EXPECT_EQ(parameter_pieces("name", "a b"), std::vector<std::string>{" name=\"a b\""});
}

TEST(ParameterPieces, LongValuesBecomeContinuationsWithoutSplittingAnEscape) {
  std::string name;
  for (int i = 0; i < 40; ++i) name += "\xE2\x82\xAC";  // 40 euro signs: 360 encoded characters
  const auto pieces = parameter_pieces("filename", name);
  ASSERT_GT(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].rfind(" filename*0*=utf-8''", 0), 0u);
  EXPECT_EQ(pieces[1].rfind(" filename*1*=%", 0), 0u);
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const auto eq = pieces[i].find('=');
    std::string value = pieces[i].substr(eq + 1);
    if (i == 0) value = value.substr(7);  // utf-8''
    EXPECT_LE(pieces[i].size(), 78u);
    joined += value;
  }
  std::string expected;
  for (int i = 0; i < 40; ++i) expected += "%E2%82%AC";
  EXPECT_EQ(joined, expected);
}

TEST(AttachmentEntity, GoldenRegularAttachment) {
  EXPECT_EQ(attachment_entity(Attachment{"a.txt", "text/plain", "hello", ""}),
            "Content-Type: text/plain; name=\"a.txt\"\r\n"
            "Content-Disposition: attachment; filename=\"a.txt\"\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            "aGVsbG8=\r\n");
}

TEST(AttachmentEntity, InlineHasContentId) {
  const std::string entity = attachment_entity(Attachment{"logo.png", "image/png", "PNG", "logo"});
  EXPECT_NE(entity.find("Content-Disposition: inline; filename=\"logo.png\"\r\n"), std::string::npos);
  EXPECT_NE(entity.find("Content-ID: <logo>\r\n"), std::string::npos);
}

TEST(AttachmentEntity, NothingFromTheFieldsCanInjectAHeader) {
  const std::string entity =
      attachment_entity(Attachment{"x\r\nBcc: victim@example.com\r\n.txt", "text/plain\r\nBcc: v@e", "x",
                                   "id\r\nBcc: v@e"});
  EXPECT_EQ(entity.find("\r\nBcc:"), std::string::npos) << entity;
  EXPECT_NE(entity.find("Content-Type: application/octet-stream;"), std::string::npos) << entity;
  EXPECT_NE(entity.find("Content-Disposition: attachment;"), std::string::npos) << entity;  // bad id: not inline
  EXPECT_EQ(entity.find("Content-ID"), std::string::npos);
  EXPECT_EQ(wire_problem(entity), "");
}

TEST(AttachmentEntity, BigBinaryContentStaysWithinLineLimits) {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += static_cast<char>(i * 7);
  const std::string entity = attachment_entity(Attachment{"b.bin", "application/octet-stream", bytes, ""});
  EXPECT_EQ(wire_problem(entity, 78), "");
  const auto body = entity.substr(entity.find("\r\n\r\n") + 4);
  std::string flat;
  for (char c : body)
    if (c != '\r' && c != '\n') flat += c;
  EXPECT_EQ(base64_decode(flat), bytes);
}

TEST(BuildMessageAttachments, MixedWrapsRelatedWrapsAlternative) {
  const std::string msg = build_message(message_with(
      {Attachment{"invoice.pdf", "application/pdf", "%PDF", ""}, Attachment{"logo.png", "image/png", "PNG", "logo"}}));
  EXPECT_EQ(wire_problem(msg), "");
  const auto top = parse_message(msg);
  const auto type = header_values(top, "Content-Type");
  ASSERT_EQ(type.size(), 1u);
  EXPECT_EQ(type[0].rfind("multipart/mixed;", 0), 0u);
  const auto mixed = multipart_bodies(top.body, boundary_of(type[0]));
  ASSERT_EQ(mixed.size(), 2u);
  const auto related = parse_message(mixed[0]);
  const auto related_type = header_values(related, "Content-Type").at(0);
  EXPECT_EQ(related_type.rfind("multipart/related;", 0), 0u);
  const auto inner = multipart_bodies(related.body, boundary_of(related_type));
  ASSERT_EQ(inner.size(), 2u);
  EXPECT_EQ(header_values(parse_message(inner[0]), "Content-Type").at(0).rfind("multipart/alternative;", 0), 0u);
  EXPECT_EQ(header_values(parse_message(inner[1]), "Content-ID").at(0), "<logo>");
  EXPECT_EQ(header_values(parse_message(mixed[1]), "Content-Disposition").at(0),
            "attachment; filename=\"invoice.pdf\"");
}

TEST(BuildMessageAttachments, OnlyTheLayersThatAreNeeded) {
  const std::string regular = build_message(message_with({Attachment{"a.txt", "text/plain", "x", ""}}));
  EXPECT_EQ(regular.find("multipart/related"), std::string::npos);
  EXPECT_NE(regular.find("multipart/mixed"), std::string::npos);
  const std::string inline_only = build_message(message_with({Attachment{"l.png", "image/png", "x", "l"}}));
  EXPECT_EQ(inline_only.find("multipart/mixed"), std::string::npos);
  EXPECT_NE(inline_only.find("multipart/related"), std::string::npos);
  // Deterministic with a seed, distinct boundaries per level.
  EXPECT_EQ(build_message(message_with({Attachment{"a.txt", "text/plain", "x", ""}})), regular);
}

TEST(BuildMessageAttachments, AnIndependentParserAgrees) {
  std::string binary;
  for (int i = 0; i < 3000; ++i) binary += static_cast<char>(i % 256);
  const std::string msg = build_message(message_with({
      Attachment{"r\xC3\xA9sum\xC3\xA9 de l'\xC3\xA9t\xC3\xA9 2026 avec un nom vraiment tr\xC3\xA8s long.pdf",
                 "application/pdf", binary, ""},
      Attachment{"logo.png", "image/png", "PNG-bytes", "logo"},
      Attachment{"", "text/csv", "a,b\r\n1,2\r\n", ""},
  }));
  const std::string parsed = python_parts(msg);
  const std::string expected =
      "text/plain|None|None|None|" + base64_encode("See attached.") + "\n" +
      "text/html|None|None|None|" + base64_encode("<p>See <img src=\"cid:logo\"></p>") + "\n" +
      "image/png|inline|logo.png|<logo>|" + base64_encode("PNG-bytes") + "\n" +
      "application/pdf|attachment|r\xC3\xA9sum\xC3\xA9 de l'\xC3\xA9t\xC3\xA9 2026 avec un nom vraiment tr\xC3\xA8s "
      "long.pdf|None|" + base64_encode(binary) + "\n" +
      "text/csv|attachment|None|None|" + base64_encode("a,b\r\n1,2\r\n") + "\n";
  EXPECT_EQ(parsed, expected);
}

}  // namespace
}  // namespace tern::mailer
