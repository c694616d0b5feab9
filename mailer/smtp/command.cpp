// command.cpp - SMTP command formatting (see command.hpp).
#include "mailer/smtp/command.hpp"

namespace tern::smtp {
namespace {

constexpr std::size_t kMaxPath = 256;         // including the angle brackets
constexpr std::size_t kMaxCommandLine = 512;  // including CRLF

bool is_control(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

Result<void> check_address(std::string_view address, const char* what) {
  for (char c : address) {
    if (is_control(c)) return fail(Errc::invalid_argument, std::string(what) + " contains a control character");
    if (c == '<' || c == '>') return fail(Errc::invalid_argument, std::string(what) + " contains '<' or '>'");
  }
  if (address.size() + 2 > kMaxPath) {
    return fail(Errc::invalid_argument, std::string(what) + " is longer than 254 octets");
  }
  return {};
}

Result<std::string> finish(std::string line) {
  line += "\r\n";
  if (line.size() > kMaxCommandLine) return fail(Errc::invalid_argument, "command line longer than 512 octets");
  return line;
}

Result<std::string> greeting_command(std::string_view verb, std::string_view helo_name) {
  if (helo_name.empty()) return fail(Errc::invalid_argument, "empty HELO name");
  for (char c : helo_name) {
    if (is_control(c) || c == ' ') {
      return fail(Errc::invalid_argument, "HELO name contains a space or control character");
    }
  }
  return finish(std::string(verb) + " " + std::string(helo_name));
}

}  // namespace

Result<std::string> ehlo_command(std::string_view helo_name) { return greeting_command("EHLO", helo_name); }

Result<std::string> helo_command(std::string_view helo_name) { return greeting_command("HELO", helo_name); }

Result<std::string> mail_from_command(std::string_view reverse_path, const MailParameters& params) {
  if (auto ok = check_address(reverse_path, "sender address"); !ok) return tl::unexpected(ok.error());
  std::string line = "MAIL FROM:<" + std::string(reverse_path) + ">";
  if (params.size) line += " SIZE=" + std::to_string(*params.size);
  if (params.smtputf8) line += " SMTPUTF8";
  return finish(std::move(line));
}

Result<std::string> rcpt_to_command(std::string_view forward_path) {
  if (forward_path.empty()) return fail(Errc::invalid_argument, "empty recipient address");
  if (auto ok = check_address(forward_path, "recipient address"); !ok) return tl::unexpected(ok.error());
  return finish("RCPT TO:<" + std::string(forward_path) + ">");
}

bool needs_smtputf8(std::string_view address) {
  for (char c : address) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

}  // namespace tern::smtp
