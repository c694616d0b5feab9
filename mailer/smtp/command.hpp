// command.hpp - SMTP command lines, formatted and checked (RFC 5321 §4.1).
//
// Every builder returns the complete line including CRLF, or
// Errc::invalid_argument when the input could smuggle protocol: CR, LF, NUL
// or any other control character, '<' or '>' inside an address, a path over
// 256 octets (§4.5.3.1.3), a space in the EHLO name, or a line over 512
// octets (§4.5.3.1.4). Addresses are sent as given (no case folding, no IDNA):
// validation of their syntax belongs to mailer/address.
//
// Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::smtp {

struct MailParameters {
  std::optional<uint64_t> size;  // RFC 1870 SIZE=n, only when the server offers SIZE
  bool smtputf8 = false;         // RFC 6531, only when the server offers SMTPUTF8
};

Result<std::string> ehlo_command(std::string_view helo_name);
Result<std::string> helo_command(std::string_view helo_name);
Result<std::string> mail_from_command(std::string_view reverse_path, const MailParameters& params = {});
Result<std::string> rcpt_to_command(std::string_view forward_path);

inline constexpr std::string_view kStartTlsCommand = "STARTTLS\r\n";
inline constexpr std::string_view kDataCommand = "DATA\r\n";
inline constexpr std::string_view kQuitCommand = "QUIT\r\n";
inline constexpr std::string_view kRsetCommand = "RSET\r\n";

// needs_smtputf8 - the address has octets outside ASCII (RFC 6531).
bool needs_smtputf8(std::string_view address);

}  // namespace tern::smtp
