// server_command_fuzz.cpp - libFuzzer target for the inbound SMTP command
// parser of the bounce listener (mailer/smtp/server_command.hpp).
//
// Invariants: the verb is upper case and the argument has no leading space;
// an accepted MAIL/RCPT path has no control character, no angle bracket and
// at most 256 octets; a refusal is invalid_argument.
#include <string>

#include "mailer/smtp/server_command.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

void check_path(std::string_view argument, std::string_view keyword) {
  auto path = tern::smtp::parse_path_argument(argument, keyword);
  if (!path) {
    FUZZ_CHECK(path.error().code == tern::Errc::invalid_argument, "refusals are invalid_argument");
    return;
  }
  FUZZ_CHECK(path->path.size() <= 256, "path over 256 octets accepted");
  for (char c : path->path) {
    const auto u = static_cast<unsigned char>(c);
    FUZZ_CHECK(u >= 0x20 && u != 0x7f && c != '<' && c != '>', "control character or bracket in a path");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line = tern::fuzz::as_view(data, size);
  const tern::smtp::ServerCommand command = tern::smtp::parse_server_command(line);
  for (char c : command.verb) FUZZ_CHECK(!(c >= 'a' && c <= 'z'), "verb not upper case");
  FUZZ_CHECK(command.argument.empty() || command.argument.front() != ' ', "argument with a leading space");
  check_path(command.argument, "FROM");
  check_path(command.argument, "TO");
  return 0;
}
