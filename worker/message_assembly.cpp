#include "worker/message_assembly.hpp"

#include "mailer/address.hpp"
#include "mailer/message.hpp"
#include "mailer/raw_message.hpp"

namespace tern::worker {
namespace {

Result<std::vector<mailer::Mailbox>> parse_list(const std::vector<std::string>& list) {
  std::vector<mailer::Mailbox> out;
  for (const auto& item : list) {
    auto m = mailer::parse_mailbox(item);
    if (!m) return tl::unexpected(m.error());
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace

Result<std::string> assemble_message(const store::EmailContent& c) {
  if (c.raw_mime) return mailer::complete_raw_message(*c.raw_mime, c.created_at, c.message_id);
  mailer::OutgoingMessage m;
  auto from = mailer::parse_mailbox(c.from);
  if (!from) return tl::unexpected(from.error());
  m.from = std::move(*from);
  auto to = parse_list(c.to);
  if (!to) return tl::unexpected(to.error());
  m.to = std::move(*to);
  auto cc = parse_list(c.cc);
  if (!cc) return tl::unexpected(cc.error());
  m.cc = std::move(*cc);
  auto reply_to = parse_list(c.reply_to);
  if (!reply_to) return tl::unexpected(reply_to.error());
  m.reply_to = std::move(*reply_to);
  m.subject = c.subject;
  m.text = c.text;
  m.html = c.html;
  m.headers = c.headers;
  m.message_id = c.message_id;
  m.date = c.created_at;
  m.mime_boundary_seed = c.id;  // stable across retries
  for (const auto& a : c.attachments)
    m.attachments.push_back(mailer::Attachment{a.filename, a.content_type, a.content, a.content_id});
  return mailer::build_message(m);
}

Result<std::string> envelope_sender(const store::EmailContent& c) {
  auto from = mailer::parse_mailbox(c.from);
  if (!from) return tl::unexpected(from.error());
  return from->address;
}

}  // namespace tern::worker
